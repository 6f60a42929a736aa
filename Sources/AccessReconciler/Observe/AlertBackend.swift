/// The alerting side, as the reconciler needs it; each backend module implements it and is chosen
/// at the command layer. Alerts are identified by the backend's id; aliases find open alerts only.
///
/// Listing calls are all-or-nothing: they return every item or throw, never a short list.
public protocol AlertBackend: Sendable {
    /// The plugin-data entry (per access request, in Teleport) where the alert's id, the posted
    /// reviews and the resolution are recorded. Two backends never share one.
    var pluginName: String { get }
    /// The longest tag the backend keeps; the cluster tag is shortened to fit.
    var tagLimit: Int { get }
    /// How many aliases one `openAlerts(aliases:)` call should carry: what one query of the
    /// backend holds comfortably.
    var aliasBatchSize: Int { get }
    /// Every open alert carrying all of `tags`, and no alert without them: a backend whose search
    /// matches loosely filters its answer by the exact tags.
    func listOpenAlerts(taggedWith tags: [String]) async throws -> [Alert]
    /// The open alert of each alias that has one (at most one per alias), whatever its tags, each
    /// marked `.alias`, and no other alert. All-or-nothing like a listing: an alias that is not in
    /// the answer has no open alert.
    func openAlerts(aliases: [String]) async throws -> [Alert]
    /// Creates the alert (the alias de-duplicates) and returns its id once the backend confirms it.
    func createAlert(_ draft: AlertDraft) async throws -> String
    /// Adds a note to an alert.
    func addNote(alertID: String, note: String) async throws
    /// Closes an alert with a note. Returns false when the alert was closed already (by a person or
    /// another tool): the close itself is the last check that it is still open.
    @discardableResult
    func closeAlert(alertID: String, note: String) async throws -> Bool
    /// The responders among `responders` that the backend cannot route an alert to, with why (a
    /// schedule or team name it does not know). Throws when it cannot tell.
    func unknownResponders(_ responders: [Responder]) async throws -> [Responder: String]
    /// The e-mail addresses on call now in `schedule` (a name, or an id when it is a UUID). Throws
    /// when anyone on call cannot be named by address: approval must never rest on a partial list.
    func onCallRecipients(schedule: String) async throws -> [String]
    /// Where the client's pacing of each rate-limit bucket stands, for the report.
    func pacing() async -> [BucketPacing]
    /// The calls sent so far, by endpoint, for the metrics.
    func callCounts() -> [EndpointCalls]
}

extension AlertBackend {
    /// A backend that takes names as they are knows no unknown responder.
    public func unknownResponders(_ responders: [Responder]) async throws -> [Responder: String] { [:] }

    /// A backend without rate limits has no pacing to tell of.
    public func pacing() async -> [BucketPacing] { [] }

    /// A backend that sends nothing over HTTP has no calls to count.
    public func callCounts() -> [EndpointCalls] { [] }
}

/// A backend that looks up many schedules' on-call lists better together than one by one (JSM
/// names everyone on call with one user-API call per 50 people). Others are asked per schedule.
public protocol BatchedOnCallLookup: AlertBackend {
    /// Who is on call in each of `schedules`, as `onCallRecipients(schedule:)` tells it; a failed
    /// lookup fails only its own schedules.
    func onCallRecipients(schedules: [String]) async -> [OnCallAnswer]
}
