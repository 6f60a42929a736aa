import AccessReconciler
import Foundation

/// An in-memory Teleport with the semantics the reconciler relies on: one review per author,
/// reviews only on pending requests, an approval threshold, compare-and-swap plugin data.
/// Used by unit tests; the gRPC fake shares these rules.
public actor InMemoryAccessRequests: AccessRequestPort {
    public private(set) var cluster: String
    public private(set) var requests: [String: AccessRequest]
    public private(set) var pluginData: [String: RequestPluginData]
    /// The job's Teleport user: the author of reviews submitted through this port.
    public let reviewer: String
    /// Approvals needed before a request turns APPROVED.
    public var approvalsNeeded: Int
    /// When set, every call fails with this error (Teleport unreachable).
    public var failure: (any Error)?
    /// Every write, in order, for assertions (`review <id>`, `plugin-data <id> k=v …`).
    public private(set) var writes: [String] = []

    public init(cluster: String, requests: [AccessRequest] = [], pluginData: [String: RequestPluginData] = [:],
                reviewer: String = "access-reconciler", approvalsNeeded: Int = 1, users: [TeleportUser] = []) {
        self.cluster = cluster
        self.requests = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.pluginData = pluginData
        self.reviewer = reviewer
        self.approvalsNeeded = approvalsNeeded
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func setFailure(_ error: (any Error)?) { failure = error }

    /// The roles whose requests the job may review (nil: any), as its role's `review_requests`.
    public private(set) var reviewableRoles: Set<String>?
    public func setReviewableRoles(_ roles: Set<String>?) { reviewableRoles = roles }

    /// Teleport's users by name, with their traits.
    public private(set) var users: [String: TeleportUser] = [:]
    /// When false, reading a user is refused, as for a role without `read` on `user`.
    public private(set) var usersReadable = true
    public func putUser(_ user: TeleportUser) { users[user.name] = user }
    public func setUsersReadable(_ readable: Bool) { usersReadable = readable }

    /// Adds or replaces a request (a test acting as Teleport).
    public func put(_ request: AccessRequest) { requests[request.id] = request }

    /// Deletes a request, as Teleport does when it expires; its plugin data stays.
    public func delete(_ id: String) { requests[id] = nil }

    public func clusterName() async throws -> String {
        try check()
        return cluster
    }

    public func listAccessRequests() async throws -> [AccessRequest] {
        try check()
        return requests.values.sorted { $0.id < $1.id }
    }

    public func accessRequest(id: String) async throws -> AccessRequest? {
        try check()
        return requests[id]
    }

    public func user(named name: String) async throws -> TeleportUser? {
        try check()
        // Teleport lets a user read itself without `read` on `user`.
        guard usersReadable || name == reviewer else {
            throw UserUnreadable(user: name, reason: "PERMISSION_DENIED: access denied to perform action \"read\" on \"user\"")
        }
        return users[name]
    }

    public func listPluginData(plugin: String) async throws -> [String: RequestPluginData] {
        try check()
        return pluginData.filter { $0.value.entries[plugin] != nil }
    }

    public func pluginData(requestID: String) async throws -> RequestPluginData? {
        try check()
        return pluginData[requestID]
    }

    public func updatePluginData(requestID: String, plugin: String, set: [String: String], expect: [String: String]) async throws {
        try check()
        guard pluginData[requestID] != nil || requests[requestID] != nil else { throw PluginDataNotFound(requestID: requestID) }
        var data = pluginData[requestID] ?? RequestPluginData()
        var entry = data.entries[plugin] ?? [:]
        for (key, expected) in expect where (entry[key] ?? "") != expected {
            throw PluginDataConflict(requestID: requestID, key: key)
        }
        for (key, value) in set {
            entry[key] = value.isEmpty ? nil : value
        }
        data.entries[plugin] = entry.isEmpty ? nil : entry
        pluginData[requestID] = data
        writes.append("plugin-data \(requestID) " + set.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }

    public func submitReview(requestID: String, proposedState: RequestState, reason: String) async throws -> RequestState {
        try check()
        guard var request = requests[requestID] else { throw InMemoryError.notFound("access request \(requestID)") }
        if let reviewableRoles, !Set(request.roles).isSubset(of: reviewableRoles) {
            throw ReviewRefused(requestID: requestID, reason: "user \"\(reviewer)\" cannot review access request \"\(requestID)\"")
        }
        let state: RequestState
        do {
            state = try AccessReviewRules.review(author: reviewer, caller: reviewer, proposed: proposedState, requestUser: request.user,
                                                 state: request.state, earlier: request.reviews,
                                                 thresholds: [AccessReviewRules.Threshold(approve: approvalsNeeded, deny: 1)])
        } catch where error.meansAlreadyDecided {
            // What the gRPC client makes of Teleport's answer: nothing left to review.
            return request.state
        } catch {
            throw InMemoryError.refused(error.message)
        }
        request.reviews.append(AccessReview(author: reviewer, proposedState: proposedState, reason: reason, created: request.created))
        if state != .pending {
            request.state = state
            request.resolveReason = reason
        }
        requests[requestID] = request
        writes.append("review \(requestID) \(proposedState)")
        return request.state
    }

    private func check() throws {
        if let failure { throw failure }
    }
}

/// Errors of the in-memory backends, worded like the real services'.
public enum InMemoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case refused(String)
    case unavailable(String)

    public var description: String {
        switch self {
        case let .notFound(what): return "\(what) not found"
        case let .refused(why): return why
        case let .unavailable(what): return "\(what) is unavailable"
        }
    }
}
