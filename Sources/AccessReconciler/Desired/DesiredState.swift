/// What the manifests and the policy want for each access request: its annotations and where its
/// alert goes. The one place a request is resolved: the observer resolves a look's requests once
/// (`routes(for:)`), and the observer's lookups and the planner's rules read that answer.
public struct DesiredState: Sendable {
    public let manifests: ManifestSet
    public let policy: PlanningPolicy
    let resolver: AnnotationResolver

    public init(manifests: ManifestSet, policy: PlanningPolicy) {
        self.manifests = manifests
        self.policy = policy
        resolver = AnnotationResolver(manifests: manifests)
    }

    /// One request's desired state.
    public func route(for request: AccessRequest) -> RequestRoute {
        let desired = resolver.resolve(user: request.user, requestedRoles: request.roles, live: request.systemAnnotations)
        return RequestRoute(desired: desired, routing: Routing(annotations: desired.annotations, policy: policy))
    }

    /// Every request's desired state. An answer from the manifests is shared by every request of
    /// the same user and roles (thousands of requests share few combinations); a fallback to a
    /// request's live annotations is its own.
    public func routes(for requests: [AccessRequest]) -> RequestRoutes {
        var fromManifests: [RequestRoutes.Combination: RequestRoute] = [:]
        var fallbacks: [String: (combination: RequestRoutes.Combination, route: RequestRoute)] = [:]
        for request in requests {
            let combination = RequestRoutes.Combination(user: request.user, roles: request.roles)
            guard fromManifests[combination] == nil else { continue }
            let route = route(for: request)
            if route.desired.source == .manifests {
                fromManifests[combination] = route
            } else {
                fallbacks[request.id] = (combination, route)
            }
        }
        return RequestRoutes(fromManifests: fromManifests, fallbacks: fallbacks)
    }
}
