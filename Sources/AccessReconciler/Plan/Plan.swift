import Foundation

/// The difference between desired and observed state, as a value: what `plan` shows and `apply`
/// carries out.
public struct Plan: Sendable, Hashable {
    public var cluster: String
    /// The `now` the plan was computed for.
    public var generatedAt: Date
    /// Writes, ordered by request and, within a request: create, approve, notes, close.
    public var actions: [PlannedAction]
    public var findings: [Finding]
    /// What the look behind the plan saw, for the metrics.
    public var seen = Seen()

    /// Counts of what one look saw.
    public struct Seen: Sendable, Hashable {
        /// Access requests pending and not expired.
        public var pendingRequests = 0
        /// Open alerts: the job's, and those found by a request's alias.
        public var openAlerts = 0

        public init(pendingRequests: Int = 0, openAlerts: Int = 0) {
            self.pendingRequests = pendingRequests
            self.openAlerts = openAlerts
        }
    }

    public init(cluster: String, generatedAt: Date, actions: [PlannedAction], findings: [Finding]) {
        self.cluster = cluster
        self.generatedAt = generatedAt
        self.actions = actions
        self.findings = findings
    }

    /// Whether both sides agree: nothing to write, no drift, and nothing that could not be looked up.
    public var isInSync: Bool { actions.isEmpty && !hasUnknowns && !findings.contains(where: \.isDrift) }

    /// Whether some request could not be looked at, so the plan may be missing writes for it.
    public var hasUnknowns: Bool { findings.contains { $0.kind == .lookupFailed } }

    /// Actions of one kind.
    public func actions(_ kind: PlannedAction.Kind) -> [PlannedAction] { actions.filter { $0.kind == kind } }
}
