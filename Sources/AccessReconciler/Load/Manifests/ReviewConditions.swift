/// A role's `review_requests:` block (`types.AccessReviewConditions`): which requested roles a
/// holder may review. `check` reads the job's own roles with it.
public struct ReviewConditions: Sendable, Hashable {
    /// Reviewable roles: literals, globs, `^regex$` or `{{regexp.match("…")}}`, as in `request.roles`.
    public var roles: [RoleMatcher]
    /// Reviewable roles mapped from the reviewer's traits: they depend on the live user.
    public var claimsToRoles: [ClaimMapping]
    /// A predicate on the request (`where:`); evaluated by Teleport only.
    public var condition: String

    public init(roles: [RoleMatcher] = [], claimsToRoles: [ClaimMapping] = [], condition: String = "") {
        self.roles = roles
        self.claimsToRoles = claimsToRoles
        self.condition = condition
    }
}

/// One entry of a role's `rules:` (`types.Rule`): verbs on resource kinds, `*` for all.
public struct ResourceRule: Sendable, Hashable {
    public var resources: [String]
    public var verbs: [String]
    /// A predicate (`where:`) that narrows the rule; evaluated by Teleport only.
    public var condition: String

    public init(resources: [String], verbs: [String], condition: String = "") {
        self.resources = resources
        self.verbs = verbs
        self.condition = condition
    }

    /// Whether the rule names `verb` on `resource`, wildcards included.
    public func covers(resource: String, verb: String) -> Bool {
        (resources.contains(resource) || resources.contains("*")) && (verbs.contains(verb) || verbs.contains("*"))
    }
}
