/// Everything the job saw of both sides in one look: the planner's whole input besides the
/// manifests, the policy and the time.
public struct Observation: Sendable {
    /// The Teleport cluster's name, recorded on alerts so several clusters can share one alerting
    /// account without touching each other's alerts.
    public var cluster: String
    public var requests: [AccessRequest]
    /// Open alerts the job owns (by tag) or found by a request's alias.
    public var alerts: [Alert]
    /// Requests whose alias was looked up: for these, an open alert that is not in `alerts` does
    /// not exist. The planner creates an alert only when this (or the tagged listing) says so.
    public var lookedUp: Set<String>
    public var onCall: OnCallSnapshot
    /// The alert backend's plugin entry by request ID; may hold entries for requests Teleport
    /// already deleted.
    public var pluginData: [String: PluginEntry]
    /// Requests whose own lookups failed (request ID → why). The listings are complete or the run
    /// stops; a lookup about one request (its alert by alias or by id) can fail alone, and then
    /// nothing is created, closed or approved for that request.
    public var unknown: [String: String]
    /// Responders of wanted alerts that the backend cannot route to, with why: no alert is
    /// created with a responder missing.
    public var unknownResponders: [Responder: String] = [:]
    /// The Teleport users of pending requesters, by name, read only under
    /// `auto_approval.identity email_trait`; a user without an entry was not read.
    public var users: [String: LiveUser] = [:]
    /// What the manifests want for each listed request, resolved once by the observer; nil in an
    /// observation made by hand (tests, the benchmark), which the planner then resolves itself.
    public var routes: RequestRoutes?

    public init(cluster: String, requests: [AccessRequest] = [], alerts: [Alert] = [], lookedUp: Set<String> = [],
                onCall: OnCallSnapshot = OnCallSnapshot(), pluginData: [String: PluginEntry] = [:], unknown: [String: String] = [:]) {
        self.cluster = cluster
        self.requests = requests
        self.alerts = alerts
        self.lookedUp = lookedUp
        self.onCall = onCall
        self.pluginData = pluginData
        self.unknown = unknown
    }
}
