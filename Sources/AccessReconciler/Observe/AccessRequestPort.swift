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
    /// Plugin data of every request that has an entry for `plugin`, by request ID.
    func listPluginData(plugin: String) async throws -> [String: RequestPluginData]
    /// Compare-and-swap update of one plugin's keys: `expect` must hold (an empty expected value
    /// means "absent"); an empty value in `set` deletes the key. Throws `PluginDataConflict` when
    /// the expectation fails.
    func updatePluginData(requestID: String, plugin: String, set: [String: String], expect: [String: String]) async throws
    /// Submits a review authored by the job's identity and returns the request's state afterwards.
    func submitReview(requestID: String, proposedState: RequestState, reason: String) async throws -> RequestState
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
