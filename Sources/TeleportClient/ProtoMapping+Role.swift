import AccessReconciler

/// Roles between the wire (`types.RoleV6`, the subset `check` reads) and the job's model: the
/// resource rules and the review conditions of `allow` and `deny`.
extension ProtoMapping {
    /// A role as the cluster sent it; a matcher the job cannot parse is an error naming the role.
    public static func role(_ message: Types_RoleV6) throws -> Role {
        var role = Role(name: message.metadata.name, version: message.version, source: SourceLocation(file: "the cluster's role \(message.metadata.name)", line: 0))
        role.allowRules = message.spec.allow.rules.map(rule)
        role.denyRules = message.spec.deny.rules.map(rule)
        role.allowReview = message.spec.allow.hasReviewRequests ? try review(message.spec.allow.reviewRequests) : nil
        role.denyReview = message.spec.deny.hasReviewRequests ? try review(message.spec.deny.reviewRequests) : nil
        return role
    }

    /// The wire form of a role's rules and review conditions (the fake Auth Service serves it).
    public static func message(_ role: Role) -> Types_RoleV6 {
        var wire = Types_RoleV6()
        wire.kind = "role"
        wire.version = role.version
        wire.metadata.name = role.name
        wire.spec.allow.rules = role.allowRules.map(ruleMessage)
        wire.spec.deny.rules = role.denyRules.map(ruleMessage)
        if let review = role.allowReview { wire.spec.allow.reviewRequests = reviewMessage(review) }
        if let review = role.denyReview { wire.spec.deny.reviewRequests = reviewMessage(review) }
        return wire
    }

    private static func rule(_ rule: Types_Rule) -> ResourceRule {
        ResourceRule(resources: rule.resources, verbs: rule.verbs, condition: rule.where)
    }

    private static func ruleMessage(_ rule: ResourceRule) -> Types_Rule {
        var message = Types_Rule()
        message.resources = rule.resources
        message.verbs = rule.verbs
        message.where = rule.condition
        return message
    }

    private static func review(_ conditions: Types_AccessReviewConditions) throws -> ReviewConditions {
        ReviewConditions(roles: try conditions.roles.map { try RoleMatcher($0) },
                         claimsToRoles: try conditions.claimsToRoles.map { ClaimMapping(claim: $0.claim, value: try ClaimPattern($0.value), roles: $0.roles) },
                         condition: conditions.where)
    }

    private static func reviewMessage(_ conditions: ReviewConditions) -> Types_AccessReviewConditions {
        var message = Types_AccessReviewConditions()
        message.roles = conditions.roles.map(\.source)
        message.claimsToRoles = conditions.claimsToRoles.map { mapping in
            var claim = Types_ClaimMapping()
            claim.claim = mapping.claim
            claim.value = mapping.value.source
            claim.roles = mapping.roles
            return claim
        }
        message.where = conditions.condition
        return message
    }
}
