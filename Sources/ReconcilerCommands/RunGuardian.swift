import AccessReconciler
import Dispatch
import Foundation
import ReconcilerMonitoring
import Synchronization

/// Keeps a run within its deadline. At the deadline, or on SIGTERM (what Kubernetes sends), it asks
/// the run to start no more writes and cuts what is in flight: reads at once (a silent peer must
/// not hold the run), writes after `writeGrace`, so that a write already sent usually gets its
/// answer. If the run has still not ended `grace` after the deadline, it prints what the run was
/// waiting for and ends the process (1 at the deadline, 143 after SIGTERM), so that an unattended
/// run never hangs and never holds its lock past its slot. `start` and `cancel` are called once
/// each, from the command's task.
final class RunGuardian: @unchecked Sendable {
    private let stop: RunStop
    private let timeout: Duration
    private let teleportAddress: String
    private let writeGrace: Duration
    private let grace: Duration
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private nonisolated(unsafe) var signalSource: (any DispatchSourceSignal)?
    private let sigterm = Mutex(false)

    /// `grace` bounds the whole ending, `writeGrace` its part for writes in flight.
    init(stop: RunStop, timeout: Duration, teleportAddress: String, writeGrace: Duration = .milliseconds(2500), grace: Duration = .milliseconds(4500)) {
        self.stop = stop
        self.timeout = timeout
        self.teleportAddress = teleportAddress
        self.writeGrace = min(writeGrace, grace)
        self.grace = grace
    }

    /// Whether the run was told to terminate.
    var terminated: Bool { sigterm.withLock { $0 } }

    /// Starts the deadline and the SIGTERM handler; `cut` cancels the run's work.
    func start(cut: @escaping @Sendable () -> Void) {
        let deadline = Task { [stop, timeout] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            stop.request("the run's deadline (\(ReconcilerSettings.flag("timeout")) \(GoDuration.format(timeout))) passed")
            await self.end(cut: cut, exitCode: 1)
        }
        tasks.withLock { $0.append(deadline) }
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { [self] in
            sigterm.withLock { $0 = true }
            stop.request("the process received SIGTERM")
            let ending = Task { await self.end(cut: cut, exitCode: 143) }
            tasks.withLock { $0.append(ending) }
        }
        source.resume()
        signalSource = source
    }

    func cancel() {
        tasks.withLock { tasks in tasks.forEach { $0.cancel() } }
        signalSource?.cancel()
    }

    private func end(cut: @Sendable () -> Void, exitCode: Int32) async {
        let writing = stop.isWriting
        if writing {
            try? await Task.sleep(for: writeGrace)
            guard !Task.isCancelled else { return }
        }
        cut()
        try? await Task.sleep(for: grace - (writing ? writeGrace : .zero))
        guard !Task.isCancelled else { return }
        LogOutput.say(.error, "\(stop.reason ?? "the run was stopped"), and it did not end within \(grace.timeInterval) s more; "
            + "it was \(stop.phase) (Teleport at \(teleportAddress)). Nothing more is written; the next run continues.")
        exit(exitCode)
    }
}
