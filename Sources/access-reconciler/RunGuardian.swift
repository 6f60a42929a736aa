import AccessReconciler
import Dispatch
import Foundation
import ReconcilerMonitoring
import Synchronization

/// Keeps a run within its deadline: at the deadline, or on SIGTERM (what Kubernetes sends), it
/// asks the run to start no more writes; if the run has not reported `grace` later, it prints what
/// the run was waiting for and ends the process (1 at the deadline, 143 after SIGTERM), so that an
/// unattended run never hangs and never holds its lock past its slot. `start` and `cancel` are
/// called once each, from the command's task.
final class RunGuardian: @unchecked Sendable {
    private let stop: RunStop
    private let timeout: Double
    private let teleportAddress: String
    private let grace: Double
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private nonisolated(unsafe) var signalSource: (any DispatchSourceSignal)?
    private let sigterm = Mutex(false)

    init(stop: RunStop, timeout: Double, teleportAddress: String, grace: Double = 20) {
        self.stop = stop
        self.timeout = timeout
        self.teleportAddress = teleportAddress
        self.grace = grace
    }

    /// Whether the run was told to terminate.
    var terminated: Bool { sigterm.withLock { $0 } }

    func start() {
        let deadline = Task { [stop, timeout] in
            try? await Task.sleep(for: .seconds(timeout))
            guard !Task.isCancelled else { return }
            stop.request("the run's deadline (--timeout \(GoDuration.format(timeout))) passed")
            await self.endAfterGrace(exitCode: 1)
        }
        tasks.withLock { $0.append(deadline) }
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { [self] in
            sigterm.withLock { $0 = true }
            stop.request("the process received SIGTERM")
            let ending = Task { await self.endAfterGrace(exitCode: 143) }
            tasks.withLock { $0.append(ending) }
        }
        source.resume()
        signalSource = source
    }

    func cancel() {
        tasks.withLock { tasks in tasks.forEach { $0.cancel() } }
        signalSource?.cancel()
    }

    private func endAfterGrace(exitCode: Int32) async {
        try? await Task.sleep(for: .seconds(grace))
        guard !Task.isCancelled else { return }
        LogOutput.say(.error, "\(stop.reason ?? "the run was stopped"), and it did not finish within \(Int(grace)) s more; "
            + "it was \(stop.phase) (Teleport at \(teleportAddress)). Nothing more is written; the next run continues.")
        exit(exitCode)
    }
}
