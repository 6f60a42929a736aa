import Foundation

/// The parts of a Teleport Access Request (`types.AccessRequestV3`) the reconciler reads.
public struct AccessRequest: Sendable, Hashable, Codable {
    /// The request ID (metadata name), a UUID chosen by Teleport.
    public var id: String
    /// The requesting Teleport user.
    public var user: String
    /// Requested roles, sorted by Teleport.
    public var roles: [String]
    public var state: RequestState
    public var created: Date
    /// Upper bound of the elevated access ("access expiry").
    public var accessExpires: Date?
    /// When the request resource itself expires; Teleport deletes it then.
    public var resourceExpires: Date?
    /// The latest time the requester asked access to last until (an absolute time).
    public var maxDuration: Date?
    public var requestReason: String
    public var resolveReason: String
    /// Annotations Teleport computed from the requester's roles when the request was created.
    public var systemAnnotations: [String: [String]]
    /// Reviews in the order they were submitted.
    public var reviews: [AccessReview]

    public init(id: String, user: String, roles: [String], state: RequestState = .pending, created: Date,
                accessExpires: Date? = nil, resourceExpires: Date? = nil, maxDuration: Date? = nil,
                requestReason: String = "", resolveReason: String = "",
                systemAnnotations: [String: [String]] = [:], reviews: [AccessReview] = []) {
        self.id = id
        self.user = user
        self.roles = roles
        self.state = state
        self.created = created
        self.accessExpires = accessExpires
        self.resourceExpires = resourceExpires
        self.maxDuration = maxDuration
        self.requestReason = requestReason
        self.resolveReason = resolveReason
        self.systemAnnotations = systemAnnotations
        self.reviews = reviews
    }

    /// The alert alias Teleport's own plugin uses for this request, which makes both tools
    /// de-duplicate against each other.
    public var alertAlias: String { AlertAlias.forRequest(id) }

    /// Whether the request is past its resource expiry, i.e. Teleport is about to delete it.
    public func isExpired(at now: Date) -> Bool {
        guard let resourceExpires else { return false }
        return resourceExpires <= now
    }
}

/// One review of an access request (`types.AccessReview`).
public struct AccessReview: Sendable, Hashable, Codable {
    public var author: String
    public var proposedState: RequestState
    public var reason: String
    public var created: Date

    public init(author: String, proposedState: RequestState, reason: String = "", created: Date) {
        self.author = author
        self.proposedState = proposedState
        self.reason = reason
        self.created = created
    }
}
