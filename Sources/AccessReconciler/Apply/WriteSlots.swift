/// The slots a request's writes take while they are being sent (`concurrency` of them). A request
/// whose write is waiting to be processed by the alert backend gives its slot up
/// (`ProcessingWait`), so that the API's pace, not the slot count, decides how fast a catch-up
/// goes. A request coming back from such a wait is served before a request that has not started,
/// so that requests under way finish first. (HTTPSupport's `ConcurrencyLimiter` has one queue, and
/// this module does not depend on it.)
public actor WriteSlots {
    private var available: Int
    private var resuming: [CheckedContinuation<Void, Never>] = []
    private var starting: [CheckedContinuation<Void, Never>] = []

    public init(_ count: Int) {
        available = max(1, count)
    }

    /// Takes a slot, waiting for one; `resuming` puts the caller ahead of requests not yet started.
    public func acquire(resuming isResuming: Bool) async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { continuation in
            if isResuming { resuming.append(continuation) } else { starting.append(continuation) }
        }
    }

    public func release() {
        if !resuming.isEmpty {
            resuming.removeFirst().resume()
        } else if !starting.isEmpty {
            starting.removeFirst().resume()
        } else {
            available += 1
        }
    }
}
