import Synchronization

/// Asks a run to stop starting writes: its deadline passed, or the process was told to terminate.
/// Writes in flight finish; the report then says what was done and what is left, and the next run
/// continues from there. Also tells a watchdog what the run was doing.
public final class RunStop: Sendable {
    private let state = Mutex<(reason: String?, phase: String, writing: Bool)>((nil, "connecting to Teleport and the alert backend", false))

    public init() {}

    /// Why the run stops, once asked to.
    public var reason: String? { state.withLock { $0.reason } }

    /// What the run is doing now, for a message if it has to be cut short.
    public var phase: String { state.withLock { $0.phase } }

    /// Whether the run is carrying out writes (rather than reading), which earns the work in flight a
    /// few seconds to finish before it is cut.
    public var isWriting: Bool { state.withLock { $0.writing } }

    /// Asks the run to stop; the first reason given is kept.
    public func request(_ reason: String) {
        state.withLock { if $0.reason == nil { $0.reason = reason } }
    }

    func enter(_ phase: String, writing: Bool = false) {
        state.withLock { $0 = ($0.reason, phase, writing) }
    }
}
