/// How a request ended, in the words Teleport's plugin writes into plugin data and alert notes.
public enum Resolution: String, Sendable, Hashable, Codable {
    case approved, denied, expired, promoted

    /// The resolution of a decided request state; nil for pending or none.
    public init?(state: RequestState) {
        switch state {
        case .approved: self = .approved
        case .denied: self = .denied
        case .promoted: self = .promoted
        case .pending, .none: return nil
        }
    }
}
