/// Which roles a user may request, by Teleport's rules: the `request.roles` and `search_as_roles`
/// matchers of the roles the user holds, plus the roles its traits map to through `claims_to_roles`;
/// a matching deny rule in any held role beats every allow.
public struct RequestAccess: Sendable {
    private let allowByRole: [String: [RoleMatcher]]
    private let deny: [RoleMatcher]

    public init(roles: [Role], traits: [String: [String]]) {
        var allowByRole: [String: [RoleMatcher]] = [:]
        var deny: [RoleMatcher] = []
        for role in roles {
            if let allow = role.allowRequest {
                allowByRole[role.name] = allow.roles + allow.searchAsRoles + Self.matchers(allow.claimsToRoles, traits: traits)
            }
            if let denied = role.denyRequest {
                deny += denied.roles + denied.searchAsRoles + Self.matchers(denied.claimsToRoles, traits: traits)
            }
        }
        self.allowByRole = allowByRole
        self.deny = deny
    }

    /// Whether any held role allows `requested` and no deny rule forbids it.
    public func canRequest(_ requested: String) -> Bool {
        !isDenied(requested) && allowByRole.values.contains { $0.contains { $0.matches(requested) } }
    }

    /// Whether `role` (one the user holds) allows `requested`, deny rules included.
    public func roleAllows(_ role: Role, _ requested: String) -> Bool {
        guard let matchers = allowByRole[role.name], !isDenied(requested) else { return false }
        return matchers.contains { $0.matches(requested) }
    }

    public func isDenied(_ requested: String) -> Bool { deny.contains { $0.matches(requested) } }

    /// Roles granted through traits. A role name produced by substituting a capture is matched
    /// literally, as Teleport does; others keep matcher syntax.
    static func matchers(_ mappings: [ClaimMapping], traits: [String: [String]]) -> [RoleMatcher] {
        var result: [RoleMatcher] = []
        for mapping in mappings {
            for value in traits[mapping.claim] ?? [] {
                for (role, expanded) in mapping.value.roles(for: value, templates: mapping.roles) ?? [] {
                    if expanded {
                        result.append(.exactly(role))
                    } else if let matcher = try? RoleMatcher(role) {
                        result.append(matcher)
                    }
                }
            }
        }
        return result
    }
}
