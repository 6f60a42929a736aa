/// Capped exponential back-off with jitter, and the wait after a 429; shared by the API clients.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts = 5
    public var baseDelay: Duration = .milliseconds(500)
    public var maxDelay: Duration = .seconds(20)
    /// What one second of a throttling period (`X-RateLimit-Period-In-Sec`, `Retry-After`) means;
    /// shortened in tests.
    public var throttleUnit: Duration = .seconds(1)
    /// No retry starts once this much time has passed since the first attempt (waits included), so
    /// a silent peer costs at most about this long per call. Waits for a throttle's period are
    /// bounded by the attempts only.
    public var maxElapsed: Duration = .seconds(60)

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20),
                throttleUnit: Duration = .seconds(1), maxElapsed: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.throttleUnit = throttleUnit
        self.maxElapsed = maxElapsed
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): base × 2^(attempt−1), capped,
    /// then a random share between half and all of it, so that many clients do not retry in step.
    public func delay(after attempt: Int) -> Duration {
        let exponential = baseDelay * (1 << min(attempt - 1, 20))
        let capped = min(exponential, maxDelay)
        return capped * Double.random(in: 0.5...1.0)
    }

    /// The wait after a 429 whose bucket resets every `periodSeconds`.
    public func throttleDelay(periodSeconds: Int) -> Duration {
        throttleUnit * max(1, periodSeconds) * Double.random(in: 1.0...1.2)
    }
}
