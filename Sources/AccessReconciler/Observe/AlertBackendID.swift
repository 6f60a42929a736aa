/// Which alerting service a run talks to, in every place that names one: the setting, saved
/// plans, the call counts and their metrics, the sandbox and the tests.
public enum AlertBackendID: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case opsgenie, jsm

    public var description: String { rawValue }

    /// The service's name, for people.
    public var serviceName: String {
        switch self {
        case .opsgenie: return "Opsgenie"
        case .jsm: return "JSM Operations"
        }
    }
}
