/// A request's desired annotations and where they route.
public struct RequestRoute: Sendable, Hashable {
    public var desired: DesiredAnnotations
    public var routing: Routing
}

/// The desired state of one look's requests, as `DesiredState.routes(for:)` resolved it: one
/// answer per user and roles that the manifests describe, and the few fallbacks to live
/// annotations by request ID. Nothing is kept per request, so that looking up 100,000 requests
/// costs a hash of their user and roles and no more.
public struct RequestRoutes: Sendable {
    /// Requests of one user for the same roles want the same, when the manifests describe the user.
    struct Combination: Hashable {
        var user: String
        var roles: [String]
    }

    let fromManifests: [Combination: RequestRoute]
    /// Requests whose user the manifests do not describe: their own live annotations decide.
    let fallbacks: [String: (combination: Combination, route: RequestRoute)]

    /// The desired state of this request, if it was among those resolved. A fallback answers only
    /// the request with its ID, user and roles (a request rewritten to one of its roles is another
    /// question).
    public subscript(request: AccessRequest) -> RequestRoute? {
        let combination = Combination(user: request.user, roles: request.roles)
        if !fallbacks.isEmpty, let fallback = fallbacks[request.id] {
            return fallback.combination == combination ? fallback.route : nil
        }
        return fromManifests[combination]
    }

    /// How many answers were computed.
    public var distinctRoutes: Int { fromManifests.count + fallbacks.count }
}
