/// A run the job refuses to carry out.
public enum ReconcileError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyChanges(planned: Int, limit: Int)

    public var description: String {
        switch self {
        case let .tooManyChanges(planned, limit):
            return "the plan has \(planned) writes, more than \(ReconcilerSettings.flag("max_changes")) \(limit); nothing was changed. Review it with `access-reconciler plan` and raise the limit to go ahead"
        }
    }
}
