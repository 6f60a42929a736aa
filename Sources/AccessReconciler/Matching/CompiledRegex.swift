/// A regular expression compiled once at load time, compared and hashed by its source text.
public struct CompiledRegex: @unchecked Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`; the error says what is wrong with it.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        do {
            self.regex = try Regex(pattern)
        } catch {
            throw PatternError(pattern: pattern, problem: "not a valid regular expression (\(error))")
        }
    }

    /// Whether the expression matches somewhere in `text` (anchors in the pattern still apply).
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    /// The capture groups of the first match (group 0 is the whole match), or nil.
    public func captures(in text: String) -> [String]? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        return match.output.map { $0.substring.map(String.init) ?? "" }
    }

    public var description: String { pattern }

    public static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// A pattern in a manifest that cannot be used.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var problem: String

    public var description: String { "`\(pattern)`: \(problem)" }
}
