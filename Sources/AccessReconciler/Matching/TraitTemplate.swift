import Foundation

/// An annotation value as written in a role: a literal, or a trait interpolation such as
/// `{{external.email}}`, `team-{{internal.logins}}` or `{{email.local(external.email)}}`.
public struct TraitTemplate: Sendable, Hashable, CustomStringConvertible {
    enum Transform: Sendable, Hashable {
        case none
        case emailLocal
    }

    public let source: String
    let prefix: String
    let suffix: String
    /// The trait the template reads, nil for a literal.
    public let trait: String?
    let transform: Transform

    /// Parses a template; an unknown function or namespace is an error naming it.
    public init(_ source: String) throws {
        self.source = source
        guard let template = try TemplateSyntax.split(source) else {
            prefix = source
            suffix = ""
            trait = nil
            transform = .none
            return
        }
        prefix = template.prefix
        suffix = template.suffix
        if template.expression.contains("(") {
            let call = try TemplateSyntax.call(template.expression, in: source)
            guard call.function == "email.local" else {
                throw PatternError(pattern: source, problem: "unsupported function `\(call.function)` in an annotation (supported: email.local)")
            }
            guard call.arguments.count == 1, case let .variable(_, name) = call.arguments[0] else {
                throw PatternError(pattern: source, problem: "email.local takes one trait variable")
            }
            trait = name
            transform = .emailLocal
        } else {
            guard case let .variable(_, name) = try TemplateSyntax.variable(template.expression, in: source) else {
                throw PatternError(pattern: source, problem: "expected a trait variable")
            }
            trait = name
            transform = .none
        }
    }

    /// The values this template yields for `traits`: one per trait value. A literal yields itself.
    /// Returns nil when the trait is missing or empty (Teleport then skips the value).
    public func expand(with traits: [String: [String]]) -> [String]? {
        guard let trait else { return [prefix] }
        guard let values = traits[trait], !values.isEmpty else { return nil }
        let expanded: [String] = values.compactMap { value in
            switch transform {
            case .none:
                return prefix + value + suffix
            case .emailLocal:
                guard let at = value.firstIndex(of: "@"), at != value.startIndex else { return nil }
                return prefix + value[..<at] + suffix
            }
        }
        return expanded.isEmpty ? nil : expanded
    }

    public var description: String { source }
}
