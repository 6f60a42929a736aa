/// Per-request plugin data (`types.PluginDataV3`) as Teleport stores it: one string map per plugin
/// name.
public struct RequestPluginData: Sendable, Hashable, Codable {
    /// Plugin name → that plugin's keys and values.
    public var entries: [String: [String: String]]

    public init(entries: [String: [String: String]] = [:]) {
        self.entries = entries
    }
}

/// The entry of the alert backend's plugin for one request: what Teleport's alerting plugin (or
/// the job) recorded about the request's alert. The job reads and writes the same keys as
/// Teleport's Opsgenie plugin so that neither duplicates nor undoes the other; each backend names
/// the plugin entry it uses.
public struct PluginEntry: Sendable, Hashable, Codable {
    public var fields: [String: String]

    public init(_ fields: [String: String] = [:]) {
        self.fields = fields
    }

    /// The alert the hosted plugin (or the job) recorded for the request, if any.
    public var alertID: String? { nonEmpty(fields[PluginDataKey.alertID]) }

    /// How many reviews were already posted as alert notes.
    public var reviewsCount: Int { Int(fields[PluginDataKey.reviewsCount] ?? "") ?? 0 }

    /// The resolution already recorded (`approved`, `denied`, `expired`, `promoted`), if any; nil
    /// also for a value the job does not know. Teleport's plugin records it *before* it closes
    /// the alert, so it does not prove the alert is closed; `closeChecked` does.
    public var resolution: Resolution? { nonEmpty(fields[PluginDataKey.resolution]).flatMap(Resolution.init(rawValue:)) }

    /// Whether the job has seen that no open alert is left for the resolved request (it closed the
    /// alert, or looked and found none open), so later runs need not look again.
    public var closeChecked: Bool { nonEmpty(fields[PluginDataKey.reconcilerChecked]) != nil }

    /// Why Teleport refused the job's approval, when it did.
    public var approvalRefused: String? { nonEmpty(fields[PluginDataKey.approvalRefused]) }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// Plugin-data keys, as Teleport's Opsgenie plugin names them (`integrations/access/opsgenie`).
public enum PluginDataKey {
    public static let alertID = "alert_id"
    public static let user = "user"
    public static let roles = "roles"
    public static let created = "created"
    public static let requestReason = "request_reason"
    public static let reviewsCount = "reviews_count"
    public static let resolution = "resolution"
    public static let resolveReason = "resolve_reason"
    /// The job's own key in that entry: set to the resolution once the job has seen the request's
    /// alert closed. Teleport's plugin reads and writes only its own keys, and plugin-data updates
    /// merge keys, so the two never undo each other.
    public static let reconcilerChecked = "reconciler_checked"
    /// The job's own key: why Teleport refused the job's approval of the request, so that later
    /// runs report it instead of asking again.
    public static let approvalRefused = "reconciler_approval_refused"
}
