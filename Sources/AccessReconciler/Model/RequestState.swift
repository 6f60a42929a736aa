/// The state of a Teleport Access Request (`types.RequestState`), with its wire values.
public enum RequestState: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case none = 0
    case pending = 1
    case approved = 2
    case denied = 3
    case promoted = 4

    /// Upper-case name as Teleport prints it (`APPROVED`).
    public var description: String {
        switch self {
        case .none: return "NONE"
        case .pending: return "PENDING"
        case .approved: return "APPROVED"
        case .denied: return "DENIED"
        case .promoted: return "PROMOTED"
        }
    }

    /// Parses `PENDING`, `pending`, … as used in fixtures and reports.
    public init?(name: String) {
        guard let state = Self.allCases.first(where: { $0.description == name.uppercased() }) else { return nil }
        self = state
    }
}
