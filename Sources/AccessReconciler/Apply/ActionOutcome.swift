/// What became of one planned action in `apply`.
public struct ActionOutcome: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Carried out.
        case done
        /// Not carried out because what it depended on changed (e.g. the request is no longer pending).
        case skipped
        /// Tried and failed.
        case failed
    }

    public var action: PlannedAction
    public var status: Status
    /// The new alert's id, the reason for a skip, or the error.
    public var detail: String

    public init(action: PlannedAction, status: Status, detail: String = "") {
        self.action = action
        self.status = status
        self.detail = detail
    }
}
