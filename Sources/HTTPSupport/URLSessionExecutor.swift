import Dispatch

/// Where URLSession calls run. On Linux, FoundationNetworking's async `data(for:)` waits on the
/// session's own queue with `DispatchQueue.sync` before it suspends; called from a task on the
/// shared pool, that wait holds one of its threads (there are as many as cores), and everything
/// else async in the process, the Teleport client's calls among them, waits behind it. Stack
/// samples of a stalled test run showed both of a 2-core machine's pool threads in that wait. Calls
/// made with this executor's preference wait on a thread of its queue instead.
public final class URLSessionExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = URLSessionExecutor()

    /// Concurrent: Dispatch gives a blocked item's neighbours other threads.
    private let queue = DispatchQueue(label: "access-reconciler.urlsession", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
