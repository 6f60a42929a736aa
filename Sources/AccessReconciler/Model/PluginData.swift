/// Per-request plugin data (`types.PluginDataV3`): one string map per plugin name.
public struct RequestPluginData: Sendable, Hashable, Codable {
    /// Plugin name → that plugin's keys and values.
    public var entries: [String: [String: String]]

    public init(entries: [String: [String: String]] = [:]) {
        self.entries = entries
    }

    /// The entry written by Teleport's Opsgenie plugin, which the job reads and writes too so that
    /// neither duplicates nor undoes the other.
    public var opsgenie: [String: String] { entries[PluginDataKey.opsgeniePlugin] ?? [:] }

    /// The alert the hosted plugin (or the job) recorded for the request, if any.
    public var alertID: String? { nonEmpty(opsgenie[PluginDataKey.alertID]) }

    /// How many reviews were already posted as alert notes.
    public var reviewsCount: Int { Int(opsgenie[PluginDataKey.reviewsCount] ?? "") ?? 0 }

    /// The resolution already recorded (`approved`, `denied`, `expired`, `promoted`), if any.
    /// Teleport's plugin records it *before* it closes the alert, so it does not prove the alert
    /// is closed; `closeChecked` does.
    public var resolution: String? { nonEmpty(opsgenie[PluginDataKey.resolution]) }

    /// Whether the job has seen that no open alert is left for the resolved request (it closed the
    /// alert, or looked and found none open), so later runs need not look again.
    public var closeChecked: Bool { nonEmpty(opsgenie[PluginDataKey.reconcilerChecked]) != nil }

    private func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// Plugin-data keys of Teleport's Opsgenie plugin.
public enum PluginDataKey {
    public static let opsgeniePlugin = "opsgenie"
    public static let alertID = "alert_id"
    public static let serviceID = "service_id"
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
}
