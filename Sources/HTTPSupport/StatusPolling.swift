/// When to read an asynchronous write's status (Opsgenie's and JSM's request status): the first
/// read after `firstDelay`, about when a write is processed, so that most writes cost one read
/// (status reads share the read bucket with listings and lookups); then with back-off up to
/// `maxDelay`, for `attempts` reads in all. The defaults give a write about 21 s.
public struct StatusPolling: Sendable, Hashable {
    public var firstDelay: Duration
    public var maxDelay: Duration
    public var multiplier: Double
    public var attempts: Int

    public init(firstDelay: Duration = .milliseconds(600), maxDelay: Duration = .seconds(2), multiplier: Double = 1.5, attempts: Int = 14) {
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.attempts = max(1, attempts)
    }

    /// Reads an asynchronous write's status until `read` returns one (nil: not processed yet),
    /// waiting `delay(before:)` with `sleep` before each read, for `attempts` reads at the most;
    /// nil when the write was never shown processed. The one polling loop of both backends.
    public func poll<Status: Sendable>(sleep: (Duration) async throws -> Void, _ read: () async throws -> Status?) async throws -> Status? {
        for attempt in 1...attempts {
            try await sleep(delay(before: attempt))
            if let status = try await read() { return status }
        }
        return nil
    }

    /// The wait before read `attempt` (1-based).
    public func delay(before attempt: Int) -> Duration {
        var delay = firstDelay
        for _ in 1..<max(1, attempt) {
            delay = min(maxDelay, delay * multiplier)
        }
        return delay
    }
}
