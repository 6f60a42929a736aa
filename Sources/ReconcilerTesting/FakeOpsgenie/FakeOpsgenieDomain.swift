/// Opsgenie's rate-limit domains, as the fake applies them.
public enum FakeOpsgenieDomain: String, Sendable, Hashable, CaseIterable {
    case alertWrite = "ALERT_WRITE"
    case alertRead = "ALERT_READ"
    case schedule = "SCHEDULE"
    /// Teams and other account configuration.
    case configuration = "CONFIGURATION"
}
