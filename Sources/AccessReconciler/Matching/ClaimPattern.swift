/// The `value` of a `claims_to_roles` entry: a glob or `^regex$` tested against each value of the
/// claimed trait; its captures (`$1`, …) may be used in the mapped role names.
public struct ClaimPattern: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    let regex: CompiledRegex

    public init(_ source: String) throws {
        self.source = source
        if source.hasPrefix("^") && source.hasSuffix("$") {
            regex = try CompiledRegex(source)
        } else {
            // A glob: every `*` is a capture group, everything else is literal.
            let parts = source.split(separator: "*", omittingEmptySubsequences: false).map { Self.escaped(String($0)) }
            regex = try CompiledRegex("^" + parts.joined(separator: "(.*)") + "$")
        }
    }

    /// The role names `roleTemplates` yield when `value` matches, with `$N` / `${N}` replaced by the
    /// captures. `expanded` tells whether a substitution took place (then the result is taken literally).
    public func roles(for value: String, templates roleTemplates: [String]) -> [(role: String, expanded: Bool)]? {
        guard let captures = regex.captures(in: value) else { return nil }
        return roleTemplates.map { template in
            let role = Self.substitute(template, captures)
            return (role, role != template || template.contains("$"))
        }
    }

    public var description: String { source }

    static func substitute(_ template: String, _ captures: [String]) -> String {
        var result = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            guard character == "$" else {
                result.append(character)
                index = template.index(after: index)
                continue
            }
            var cursor = template.index(after: index)
            let braced = cursor < template.endIndex && template[cursor] == "{"
            if braced { cursor = template.index(after: cursor) }
            let digitsStart = cursor
            while cursor < template.endIndex, template[cursor].isASCII, template[cursor].isNumber {
                cursor = template.index(after: cursor)
            }
            let digits = template[digitsStart..<cursor]
            if !digits.isEmpty, let number = Int(digits), !braced || (cursor < template.endIndex && template[cursor] == "}") {
                if braced { cursor = template.index(after: cursor) }
                result += number < captures.count ? captures[number] : ""
                index = cursor
            } else {
                result.append(character)
                index = template.index(after: index)
            }
        }
        return result
    }

    private static let metacharacters = Set("\\.+?()[]{}|^$")

    private static func escaped(_ literal: String) -> String {
        var result = ""
        for character in literal {
            if metacharacters.contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
