/// A run ended at its deadline or on SIGTERM before it could report: the reads in flight were
/// cancelled (or writes in flight outlived their grace), so there is no complete look to report.
/// Nothing more is written; the next run starts afresh.
public struct RunCut: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the run stopped (`RunStop.reason`).
    public var reason: String
    /// What it was doing when it was cut (`RunStop.phase`).
    public var phase: String

    public init(reason: String, phase: String) {
        self.reason = reason
        self.phase = phase
    }

    public var description: String {
        "\(reason) while the run was \(phase): what was in flight was cancelled and nothing more is written; the next run continues"
    }
}
