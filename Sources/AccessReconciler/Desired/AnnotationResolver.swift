/// Computes a request's annotations from the manifests the way Teleport computes system annotations:
/// the `allow.request.annotations` of the requester's roles that allow at least one requested role,
/// expanded from the user's traits, minus the exact pairs a `deny.request.annotations` names.
public struct AnnotationResolver: Sendable {
    public let manifests: ManifestSet

    public init(manifests: ManifestSet) {
        self.manifests = manifests
    }

    /// The desired annotations for `user` requesting `requestedRoles`, or a fallback to `live`
    /// when the manifests do not describe the user completely.
    public func resolve(user userName: String, requestedRoles: [String], live: [String: [String]]) -> DesiredAnnotations {
        guard let user = manifests.users[userName] else {
            return DesiredAnnotations(annotations: RequestAnnotation.normalized(live),
                                      source: .liveFallback(reason: "no user manifest for \"\(userName)\""))
        }
        let missing = user.roles.filter { manifests.roles[$0] == nil }
        if !missing.isEmpty {
            let names = missing.map { "\"\($0)\"" }.joined(separator: ", ")
            return DesiredAnnotations(annotations: RequestAnnotation.normalized(live),
                                      source: .liveFallback(reason: "user \"\(userName)\" holds role(s) \(names) with no manifest"))
        }
        return resolve(user: user, requestedRoles: requestedRoles)
    }

    /// The desired annotations for a user described by the manifests.
    public func resolve(user: User, requestedRoles: [String]) -> DesiredAnnotations {
        let roles = user.roles.compactMap { manifests.roles[$0] }
        let access = RequestAccess(roles: roles, traits: user.traits)
        var allowed: [String: Set<String>] = [:]
        var denied: [String: Set<String>] = [:]
        var skipped: [String] = []
        var contributing: [String] = []
        for role in roles {
            if let deny = role.denyRequest {
                add(deny.annotations, traits: user.traits, into: &denied, skipped: &skipped)
            }
            guard let allow = role.allowRequest, requestedRoles.contains(where: { access.roleAllows(role, $0) }) else { continue }
            contributing.append(role.name)
            add(allow.annotations, traits: user.traits, into: &allowed, skipped: &skipped)
        }
        var result: [String: [String]] = [:]
        for (key, values) in allowed {
            let kept = values.subtracting(denied[key] ?? []).sorted()
            if !kept.isEmpty { result[key] = kept }
        }
        return DesiredAnnotations(annotations: result, source: .manifests, contributingRoles: contributing.sorted(),
                                  unrequestableRoles: requestedRoles.filter { !access.canRequest($0) }.sorted(),
                                  skippedTemplates: Array(Set(skipped)).sorted())
    }

    private func add(_ templates: [String: [TraitTemplate]], traits: [String: [String]],
                     into result: inout [String: Set<String>], skipped: inout [String]) {
        for (key, values) in templates {
            for template in values {
                if let expanded = template.expand(with: traits) {
                    result[key, default: []].formUnion(expanded)
                } else {
                    skipped.append("\(key): \(template.source)")
                }
            }
        }
    }
}
