/// A place in an input file, so every error can say where to look.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as it was named on the command line (or found below a directory).
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1.
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    public var description: String { "\(file):\(line):\(column)" }
}
