/// Teleport's role matcher syntax, as used in `request.roles` and `search_as_roles`:
/// a literal (`editor`), a glob (`db-*`), an anchored regular expression (`^db-.*$`), or a template
/// `{{regexp.match("…")}}` / `{{regexp.not_match("…")}}`, optionally with a literal prefix and suffix.
public struct RoleMatcher: Sendable, Hashable, CustomStringConvertible {
    enum Rule: Sendable, Hashable {
        case literal(String)
        case glob([String])
        case regex(CompiledRegex, negated: Bool)
    }

    /// The text as written in the manifest.
    public let source: String
    let prefix: String
    let suffix: String
    let rule: Rule

    /// Parses a matcher; an invalid regular expression or template is an error naming the pattern.
    public init(_ source: String) throws {
        self.source = source
        if let template = try TemplateSyntax.split(source) {
            prefix = template.prefix
            suffix = template.suffix
            let call = try TemplateSyntax.call(template.expression, in: source)
            switch call.function {
            case "regexp.match", "regexp.not_match":
                guard call.arguments.count == 1, case let .string(pattern) = call.arguments[0] else {
                    throw PatternError(pattern: source, problem: "\(call.function) takes one quoted regular expression")
                }
                rule = .regex(try CompiledRegex(pattern), negated: call.function == "regexp.not_match")
            default:
                throw PatternError(pattern: source, problem: "`\(call.function)` is not a matcher; use regexp.match or regexp.not_match")
            }
            return
        }
        prefix = ""
        suffix = ""
        if source.hasPrefix("^") && source.hasSuffix("$") {
            rule = .regex(try CompiledRegex(source), negated: false)
        } else if source.contains("*") {
            rule = .glob(source.split(separator: "*", omittingEmptySubsequences: false).map(String.init))
        } else {
            rule = .literal(source)
        }
    }

    /// A matcher that accepts exactly `value`, whatever characters it contains (used for roles
    /// produced by expanding traits, which Teleport never interprets as patterns).
    public static func exactly(_ value: String) -> RoleMatcher { RoleMatcher(exact: value) }

    private init(exact value: String) {
        source = value
        prefix = ""
        suffix = ""
        rule = .literal(value)
    }

    /// Whether `role` is matched.
    public func matches(_ role: String) -> Bool {
        guard role.hasPrefix(prefix), role.hasSuffix(suffix), role.count >= prefix.count + suffix.count else { return false }
        let middle = String(role.dropFirst(prefix.count).dropLast(suffix.count))
        switch rule {
        case let .literal(value):
            return middle == value
        case let .glob(parts):
            return Self.globMatches(parts, middle)
        case let .regex(regex, negated):
            return regex.matches(middle) != negated
        }
    }

    /// Whether this matcher names exactly one role (no wildcard or expression).
    public var literalName: String? {
        if case let .literal(value) = rule, prefix.isEmpty, suffix.isEmpty { return value }
        return nil
    }

    public var description: String { source }

    /// Glob where `*` stands for any run of characters; `parts` are the text between stars.
    static func globMatches(_ parts: [String], _ text: String) -> Bool {
        guard let first = parts.first, let last = parts.last else { return text.isEmpty }
        guard parts.count > 1 else { return text == first }
        guard text.hasPrefix(first), text.hasSuffix(last), text.count >= first.count + last.count else { return false }
        var rest = Substring(text.dropFirst(first.count).dropLast(last.count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}
