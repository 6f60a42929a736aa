/// What the job's own roles let it do, computed from their definitions (as the cluster has them,
/// or else as the manifests do) the way Teleport decides it: some held role's `allow` names the verb or role, and no held role's
/// `deny` does. Where the answer depends on what only Teleport evaluates (a `where:` predicate,
/// `claims_to_roles` on the job's traits) or on a role the manifests lack, it is undecided,
/// never allowed.
public struct JobRolePermissions: Sendable {
    /// The held roles whose definitions were read.
    public let defined: [Role]
    /// The held roles whose definitions could not be read.
    public let undefined: [String]

    public init(defined: [Role], undefined: [String]) {
        self.defined = defined
        self.undefined = undefined.sorted()
    }

    /// The held roles as the manifests define them.
    public init(heldRoles: [String], manifests: ManifestSet) {
        self.init(defined: heldRoles.compactMap { manifests.roles[$0] }, undefined: heldRoles.filter { manifests.roles[$0] == nil })
    }

    /// Whether the roles grant `verb` on `resource` (`rules:`).
    public func rule(resource: String, verb: String) -> CheckLine.Status {
        if defined.contains(where: { $0.denyRules.contains { $0.covers(resource: resource, verb: verb) && $0.condition.isEmpty } }) {
            return .failed
        }
        let denyWithCondition = defined.contains { $0.denyRules.contains { $0.covers(resource: resource, verb: verb) } }
        let allowed = defined.contains { $0.allowRules.contains { $0.covers(resource: resource, verb: verb) && $0.condition.isEmpty } }
        // A role not read may deny what another allows: only all roles read make an allow certain.
        if allowed && !denyWithCondition && undefined.isEmpty { return .passed }
        let allowedWithCondition = defined.contains { $0.allowRules.contains { $0.covers(resource: resource, verb: verb) } }
        if allowed || allowedWithCondition || !undefined.isEmpty { return .undecided }
        return .failed
    }

    /// Whether the roles let the job review requests for `requested` (`review_requests:`).
    public func review(_ requested: String) -> CheckLine.Status {
        if defined.contains(where: { $0.denyReview.map { $0.roles.contains { $0.matches(requested) } } == true }) { return .failed }
        let denyMayApply = defined.contains { role in
            guard let deny = role.denyReview else { return false }
            return !deny.claimsToRoles.isEmpty || !deny.condition.isEmpty
        }
        let allowed = defined.contains { role in
            guard let allow = role.allowReview, allow.condition.isEmpty else { return false }
            return allow.roles.contains { $0.matches(requested) }
        }
        if allowed && !denyMayApply && undefined.isEmpty { return .passed }
        let mayBeAllowed = defined.contains { role in
            guard let allow = role.allowReview else { return false }
            return allow.roles.contains { $0.matches(requested) } || !allow.claimsToRoles.isEmpty
        }
        if allowed || mayBeAllowed || !undefined.isEmpty { return .undecided }
        return .failed
    }
}
