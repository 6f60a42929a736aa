import Foundation

/// A secret value (an API key). Its descriptions are redacted, so printing or logging a
/// configuration never shows it.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself, for the one place that sends it.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

extension Secret {
    /// Reads a secret from a file that holds it alone: one non-empty line, surrounding white space
    /// ignored. Anything else (more lines, an empty file, a folder, a FIFO that would block the
    /// read) is an error naming the file and never quoting its content.
    public static func read(file path: String, what: String) throws -> Secret {
        switch FileKind(path) {
        case .regular: break
        case .missing: throw ConfigurationError.invalid(source: path, problem: "cannot read the \(what) file: no such file")
        case .directory: throw ConfigurationError.invalid(source: path, problem: "the \(what) file is a folder")
        case let .unusable(reason): throw ConfigurationError.invalid(source: path, problem: "the \(what) file \(reason)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError.invalid(source: path, problem: "cannot read the \(what) file")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw ConfigurationError.invalid(source: path, problem: "the \(what) file is empty") }
        guard lines.count == 1 else {
            throw ConfigurationError.invalid(source: path, problem: "the \(what) file holds \(lines.count) non-empty lines; it must hold the \(what) alone")
        }
        return Secret(lines[0])
    }
}
