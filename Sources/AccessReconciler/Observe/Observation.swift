/// Everything the job saw of both sides in one look: the planner's whole input besides the
/// manifests, the policy and the time.
public struct Observation: Sendable {
    /// Which listings are known to be complete. The planner closes and approves nothing on a
    /// partial picture.
    public struct Completeness: Sendable, Hashable {
        public var requests: Bool
        public var alerts: Bool

        public init(requests: Bool = true, alerts: Bool = true) {
            self.requests = requests
            self.alerts = alerts
        }

        public static let complete = Completeness()
    }

    /// The Teleport cluster's name, recorded on alerts so several clusters can share one Opsgenie
    /// account without touching each other's alerts.
    public var cluster: String
    public var requests: [AccessRequest]
    /// Open alerts the job owns (by tag) or found by a request's alias.
    public var alerts: [Alert]
    public var onCall: OnCallSnapshot
    /// Plugin data by request ID; may hold entries for requests Teleport already deleted.
    public var pluginData: [String: RequestPluginData]
    public var completeness: Completeness

    public init(cluster: String, requests: [AccessRequest] = [], alerts: [Alert] = [], onCall: OnCallSnapshot = OnCallSnapshot(),
                pluginData: [String: RequestPluginData] = [:], completeness: Completeness = .complete) {
        self.cluster = cluster
        self.requests = requests
        self.alerts = alerts
        self.onCall = onCall
        self.pluginData = pluginData
        self.completeness = completeness
    }
}
