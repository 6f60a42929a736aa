/// Which alerting service a run talks to, in every place that names one: the setting, saved
/// plans, the call counts and their metrics, the sandbox and the tests.
public enum AlertBackendID: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case opsgenie, jsm

    public var description: String { rawValue }
}
