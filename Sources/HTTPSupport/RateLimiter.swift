/// Paces requests to at most `rate` per second, evenly spaced (a token bucket holding one token), so
/// that no one-second window sees more than `rate + 1` of them. Callers wait for their turn rather
/// than be throttled by the API.
public actor RateLimiter {
    /// Where the limiter reads the time and how it waits; tests pass a virtual clock.
    public struct Timing: Sendable {
        public var now: @Sendable () -> Duration
        public var sleep: @Sendable (Duration) async throws -> Void

        public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) {
            self.now = now
            self.sleep = sleep
        }

        /// The process's monotonic clock.
        public static let continuous: Timing = {
            let clock = ContinuousClock()
            let start = clock.now
            return Timing(now: { clock.now - start }, sleep: { try await Task.sleep(for: $0) })
        }()
    }

    private let rate: Double
    private let capacity: Double
    private var tokens: Double
    private var last: Duration
    private let timing: Timing

    public init(perSecond rate: Double, timing: Timing = .continuous) {
        self.rate = max(rate, 0.001)
        self.capacity = 1
        self.tokens = 1
        self.timing = timing
        self.last = timing.now()
    }

    /// Waits until a request may go out.
    public func acquire() async throws {
        while true {
            let now = timing.now()
            tokens = min(capacity, tokens + rate * Self.seconds(now - last))
            last = now
            if tokens >= 1 {
                tokens -= 1
                return
            }
            try await timing.sleep(.seconds((1 - tokens) / rate))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Bounds the requests in flight; waiters are served in arrival order.
public actor ConcurrencyLimiter {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) {
        available = max(1, limit)
    }

    public func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding one slot.
    public func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}
