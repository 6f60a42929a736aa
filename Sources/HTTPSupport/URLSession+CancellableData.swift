import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension URLSession {
    /// `data(for:)` whose cancellation never waits. FoundationNetworking's async `data(for:)`
    /// cancels its URLSession task from the cancelled Swift task's handler, which runs holding that
    /// task's status lock and waits (`DispatchQueue.sync`) for the session's queue; when the queue
    /// is at that moment finishing the same request, it waits for that lock to resume the caller.
    /// A stack sample of a stalled test run showed exactly those two threads. Here the handler
    /// only hands the cancel to another thread and returns; the request ends with
    /// `URLError(.cancelled)` as before.
    public func cancellableData(for request: URLRequest) async throws -> (Data, URLResponse) {
        let pending = PendingDataTask()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), Error>) in
                let task = dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let data, let response {
                        continuation.resume(returning: (data, response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                pending.started(task)
                task.resume()
            }
        } onCancel: {
            pending.cancel()
        }
    }
}

/// The data task of one `cancellableData(for:)` call, and whether it was cancelled before it
/// existed; the cancel itself always runs on another thread.
private final class PendingDataTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func started(_ task: URLSessionDataTask) {
        let cancelNow = lock.withLock { () -> Bool in
            self.task = task
            return cancelled
        }
        if cancelNow { Self.cancelElsewhere(task) }
    }

    func cancel() {
        let task = lock.withLock { () -> URLSessionDataTask? in
            cancelled = true
            return self.task
        }
        if let task { Self.cancelElsewhere(task) }
    }

    private static func cancelElsewhere(_ task: URLSessionDataTask) {
        DispatchQueue.global().async { task.cancel() }
    }
}
