/// The Teleport side, as the reconciler needs it. The gRPC client implements it against the Auth
/// Service; tests use an in-memory implementation.
///
/// Listing calls are all-or-nothing: they return every item or throw, never a short list.
public protocol AccessRequestPort: Sendable {
    /// The cluster's name (Teleport's Ping).
    func clusterName() async throws -> String
    /// Every access request the job's identity can see, in any state.
    func listAccessRequests() async throws -> [AccessRequest]
    /// One request read afresh, or nil when Teleport no longer has it.
    func accessRequest(id: String) async throws -> AccessRequest?
    /// The Teleport user `name` with its traits, or nil when Teleport has no such user. Throws
    /// `UserUnreadable` when Teleport does not let the job read users.
    func user(named name: String) async throws -> TeleportUser?
    /// Plugin data of every request that has an entry for `plugin`, by request ID.
    func listPluginData(plugin: String) async throws -> [String: RequestPluginData]
    /// Plugin data of one request, read afresh; nil when there is none.
    func pluginData(requestID: String) async throws -> RequestPluginData?
    /// Compare-and-swap update of one plugin's keys: `expect` must hold (an empty expected value
    /// means "absent"); an empty value in `set` deletes the key. Throws `PluginDataConflict` when
    /// the expectation fails.
    func updatePluginData(requestID: String, plugin: String, set: [String: String], expect: [String: String]) async throws
    /// Submits a review authored by the job's identity and returns the request's state afterwards.
    /// Throws `ReviewRefused` when Teleport does not let the job review the request.
    func submitReview(requestID: String, proposedState: RequestState, reason: String) async throws -> RequestState
}

extension AccessRequestPort {
    /// Read-modify-write of one plugin's keys under compare-and-swap, as Teleport's plugins do it:
    /// `change` gets the current values and returns the keys to set (nil: nothing to do); the write
    /// expects the keys it sets to still hold what was read, and is tried again on a conflict.
    ///
    /// With `assuming`, the first attempt takes those values as current without reading them (the
    /// observation just read them); only a conflict makes it read. Returns whether it wrote.
    @discardableResult
    public func modifyPluginData(requestID: String, plugin: String, attempts: Int = 5, assuming: [String: String]? = nil,
                                 _ change: @Sendable ([String: String]) -> [String: String]?) async throws -> Bool {
        var attempt = 0
        var assumed = assuming
        while true {
            attempt += 1
            let current: [String: String]
            if let known = assumed {
                current = known
                assumed = nil
            } else {
                current = try await pluginData(requestID: requestID)?.entries[plugin] ?? [:]
            }
            guard let set = change(current), !set.isEmpty else { return false }
            let expect = Dictionary(uniqueKeysWithValues: set.keys.map { ($0, current[$0] ?? "") })
            do {
                try await updatePluginData(requestID: requestID, plugin: plugin, set: set, expect: expect)
                return true
            } catch is PluginDataConflict where attempt < attempts {
                continue
            }
        }
    }
}

/// Teleport refused the job's review for want of permission (gRPC PERMISSION_DENIED), for example a
/// requested role outside the `review_requests.roles` of the job's role: trying again changes
/// nothing until an administrator changes the role.
public struct ReviewRefused: Error, Sendable, CustomStringConvertible {
    public var requestID: String
    public var reason: String

    public init(requestID: String, reason: String) {
        self.requestID = requestID
        self.reason = reason
    }

    public var description: String { "Teleport refused the review of request \(requestID): \(reason)" }
}

/// A plugin-data compare-and-swap whose expectation did not hold: someone else wrote first.
public struct PluginDataConflict: Error, Sendable, CustomStringConvertible {
    public var requestID: String
    public var key: String

    public init(requestID: String, key: String) {
        self.requestID = requestID
        self.key = key
    }

    public var description: String { "plugin data of request \(requestID) changed meanwhile (key \(key))" }
}
