/// A role's `request:` block (`types.AccessRequestConditions`).
public struct RequestConditions: Sendable, Hashable {
    /// Requestable roles: literals, globs, `^regex$` or `{{regexp.match("…")}}`.
    public var roles: [RoleMatcher]
    /// Roles whose resources may be requested (resource access requests).
    public var searchAsRoles: [RoleMatcher]
    /// Roles granted through the user's traits.
    public var claimsToRoles: [ClaimMapping]
    /// Annotation templates; values may use trait interpolation such as `{{external.team}}`.
    public var annotations: [String: [TraitTemplate]]
    public var thresholds: [ReviewThreshold]
    public var suggestedReviewers: [String]
    /// Longest access the request may ask for, in seconds.
    public var maxDuration: Duration?

    public init(roles: [RoleMatcher] = [], searchAsRoles: [RoleMatcher] = [], claimsToRoles: [ClaimMapping] = [],
                annotations: [String: [TraitTemplate]] = [:], thresholds: [ReviewThreshold] = [],
                suggestedReviewers: [String] = [], maxDuration: Duration? = nil) {
        self.roles = roles
        self.searchAsRoles = searchAsRoles
        self.claimsToRoles = claimsToRoles
        self.annotations = annotations
        self.thresholds = thresholds
        self.suggestedReviewers = suggestedReviewers
        self.maxDuration = maxDuration
    }
}

/// One `claims_to_roles` entry: when the user's trait `claim` has a value matching `value`, the
/// listed roles (which may use `$1` captures) become requestable.
public struct ClaimMapping: Sendable, Hashable {
    public var claim: String
    public var value: ClaimPattern
    public var roles: [String]

    public init(claim: String, value: ClaimPattern, roles: [String]) {
        self.claim = claim
        self.value = value
        self.roles = roles
    }
}

/// One review threshold of a role (`types.AccessReviewThreshold`).
public struct ReviewThreshold: Sendable, Hashable {
    public var name: String
    public var filter: String
    public var approve: Int
    public var deny: Int

    public init(name: String = "", filter: String = "", approve: Int = 0, deny: Int = 0) {
        self.name = name
        self.filter = filter
        self.approve = approve
        self.deny = deny
    }
}
