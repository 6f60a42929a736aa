/// A request's desired annotations and where they route.
public struct RequestRoute: Sendable, Hashable {
    public var desired: DesiredAnnotations
    public var routing: Routing
}

/// The desired state of one look's requests, by request ID, as `DesiredState.routes(for:)`
/// resolved it.
public struct RequestRoutes: Sendable {
    /// Requests of one user for the same roles want the same, when the manifests describe the user.
    struct Combination: Hashable {
        var user: String
        var roles: [String]
    }

    let routes: [(combination: Combination, route: RequestRoute)]
    let byRequest: [String: Int]

    /// The desired state of this request, if it was among those resolved: the same ID, user and
    /// roles (a request rewritten to one of its roles is another question).
    public subscript(request: AccessRequest) -> RequestRoute? {
        guard let index = byRequest[request.id] else { return nil }
        let entry = routes[index]
        guard entry.combination.user == request.user, entry.combination.roles == request.roles else { return nil }
        return entry.route
    }

    /// How many requests were resolved.
    public var count: Int { byRequest.count }

    /// How many answers were computed for them.
    public var distinctRoutes: Int { routes.count }
}
