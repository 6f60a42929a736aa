/// Turns one YAML document of `tctl get roles,users,access_monitoring_rules` output into a typed resource.
enum ManifestDecoder {
    enum Resource {
        case role(Role)
        case user(User)
        case accessMonitoringRule(AccessMonitoringRule)
        case other(kind: String)
    }

    static func decode(_ document: YAMLDocument) throws -> Resource? {
        guard let root = document.root else { return nil }
        guard let kindValue = try root.field("kind") else { throw root.invalid("missing `kind` (expected role, user or access_monitoring_rule)") }
        let kind = try kindValue.string()
        let name = try root.field("metadata")?.field("name")?.string()
        switch kind {
        case "role":
            document.describe(as: "role \"\(name ?? "?")\"")
            return .role(try decodeRole(root, name: name, at: document.location))
        case "user":
            document.describe(as: "user \"\(name ?? "?")\"")
            return .user(try decodeUser(root, name: name, at: document.location))
        case "access_monitoring_rule":
            document.describe(as: "access_monitoring_rule \"\(name ?? "?")\"")
            return .accessMonitoringRule(try decodeAccessMonitoringRule(root, name: name, at: document.location))
        default:
            return .other(kind: kind)
        }
    }

    static func requireName(_ root: YAMLValue, _ name: String?) throws -> String {
        guard let name, !name.isEmpty else { throw root.invalid("missing `metadata.name`") }
        return name
    }

    private static func decodeRole(_ root: YAMLValue, name: String?, at location: SourceLocation) throws -> Role {
        let name = try requireName(root, name)
        guard let versionValue = try root.field("version") else { throw root.invalid("missing `version`") }
        let version = try versionValue.string()
        guard Role.supportedVersions.contains(version) else {
            throw versionValue.invalid("unsupported role version `\(version)` (supported: \(Role.supportedVersions.joined(separator: ", ")))")
        }
        let spec = try root.field("spec")
        let allow = try spec?.field("allow")?.field("request").map { try decodeConditions($0, side: .allow) }
        let deny = try spec?.field("deny")?.field("request").map { try decodeConditions($0, side: .deny) }
        var role = Role(name: name, version: version, allowRequest: allow, denyRequest: deny, source: location)
        role.allowReview = try spec?.field("allow")?.field("review_requests").map(decodeReview)
        role.denyReview = try spec?.field("deny")?.field("review_requests").map(decodeReview)
        role.allowRules = try spec?.field("allow")?.field("rules").map(decodeRules) ?? []
        role.denyRules = try spec?.field("deny")?.field("rules").map(decodeRules) ?? []
        return role
    }

    private static func decodeReview(_ block: YAMLValue) throws -> ReviewConditions {
        ReviewConditions(roles: try matchers(block.field("roles")), claimsToRoles: try claimMappings(block.field("claims_to_roles")),
                         condition: try block.field("where")?.string() ?? "")
    }

    private static func decodeRules(_ block: YAMLValue) throws -> [ResourceRule] {
        try block.sequence().map { entry in
            ResourceRule(resources: try entry.field("resources")?.stringList() ?? [], verbs: try entry.field("verbs")?.stringList() ?? [],
                         condition: try entry.field("where")?.string() ?? "")
        }
    }

    private static func claimMappings(_ claims: YAMLValue?) throws -> [ClaimMapping] {
        guard let claims else { return [] }
        return try claims.sequence().map { entry in
            guard let claim = try entry.field("claim")?.string(), !claim.isEmpty else { throw entry.invalid("missing `claim`") }
            guard let valueField = try entry.field("value") else { throw entry.invalid("missing `value`") }
            let pattern = try located(valueField) { try ClaimPattern(valueField.string()) }
            let rolesField = try entry.field("roles")
            let roles = try rolesField?.stringList() ?? []
            for role in roles where !role.contains("$") {
                _ = try located(rolesField ?? entry) { try RoleMatcher(role) }
            }
            return ClaimMapping(claim: claim, value: pattern, roles: roles)
        }
    }

    private enum Side { case allow, deny }

    private static func decodeConditions(_ block: YAMLValue, side: Side) throws -> RequestConditions {
        var conditions = RequestConditions()
        conditions.roles = try matchers(block.field("roles"))
        conditions.searchAsRoles = try matchers(block.field("search_as_roles"))
        conditions.claimsToRoles = try claimMappings(block.field("claims_to_roles"))
        if let annotations = try block.field("annotations") {
            for (key, values) in try annotations.mapping() {
                conditions.annotations[key] = try values.sequence().map { value in
                    try located(value) { try TraitTemplate(value.string()) }
                }
            }
        }
        if let thresholds = try block.field("thresholds") {
            if side == .deny { throw thresholds.invalid("thresholds are only allowed in allow.request") }
            conditions.thresholds = try thresholds.sequence().map { entry in
                ReviewThreshold(name: try entry.field("name")?.string() ?? "",
                                filter: try entry.field("filter")?.string() ?? "",
                                approve: try nonNegative(entry.field("approve")),
                                deny: try nonNegative(entry.field("deny")))
            }
        }
        conditions.suggestedReviewers = try block.field("suggested_reviewers")?.stringList() ?? []
        if let duration = try block.field("max_duration") {
            let text = try duration.string()
            guard let maxDuration = GoDuration.duration(text), maxDuration >= .zero else {
                throw duration.invalid("`\(text)` is not a duration (write it like 8h, 30m or 1h30m)")
            }
            conditions.maxDuration = maxDuration
        }
        return conditions
    }

    private static func decodeUser(_ root: YAMLValue, name: String?, at location: SourceLocation) throws -> User {
        let name = try requireName(root, name)
        if let versionValue = try root.field("version") {
            let version = try versionValue.string()
            guard version == "v2" else { throw versionValue.invalid("unsupported user version `\(version)` (supported: v2)") }
        }
        let spec = try root.field("spec")
        return User(name: name,
                    roles: try spec?.field("roles")?.stringList() ?? [],
                    traits: try spec?.field("traits")?.stringListMap() ?? [:],
                    source: location)
    }

    private static func matchers(_ value: YAMLValue?) throws -> [RoleMatcher] {
        guard let value else { return [] }
        return try value.sequence().map { element in try located(element) { try RoleMatcher(element.string()) } }
    }

    private static func nonNegative(_ value: YAMLValue?) throws -> Int {
        guard let value else { return 0 }
        let number = try value.int()
        guard number >= 0 else { throw value.invalid("must not be negative") }
        return number
    }

    /// Runs `body`, turning a pattern error into an error at `value`'s place.
    private static func located<T>(_ value: YAMLValue, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PatternError {
            throw value.invalid(error.description)
        }
    }
}
