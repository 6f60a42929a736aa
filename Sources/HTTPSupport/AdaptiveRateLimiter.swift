/// Paces the requests to one rate-limit bucket and finds the bucket's limit at run time.
///
/// Requests go out evenly spaced at the current pace (a token bucket holding one token, so that no
/// one-second window sees more than pace + 1 of them). While callers queue for their turn and no
/// request is throttled, the pace doubles every `raiseInterval` (a quarter second), up to the policy's ceiling. On a
/// throttle the bucket was full: the pace drops to half the rate at which requests were really
/// going out over the throttle's period (or the pace, if lower), that becomes the ceiling for the
/// rest of the run, and no request goes out until the period is over (a 60-second bucket means
/// waiting for the minute). The bucket is shared with the integrations that page people, so the
/// job does not probe again and take their room a second time. Answers to requests sent before the
/// cut are not counted again.
public actor AdaptiveRateLimiter {
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

    /// A sent request, for reporting its answer.
    public struct Ticket: Sendable {
        let sentAt: Duration
    }

    /// What the limiter has learnt, for logs and the report.
    public struct State: Sendable, Equatable {
        public var pace: Double
        public var ceiling: Double
        public var throttles: Int
        /// Requests let through so far.
        public var requests: Int

        public init(pace: Double, ceiling: Double, throttles: Int, requests: Int = 0) {
            self.pace = pace
            self.ceiling = ceiling
            self.throttles = throttles
            self.requests = requests
        }
    }

    /// The slowest pace any policy has: one request every ten seconds.
    public static let minimumRate = 0.1
    /// A run of throttles brings the pace no lower than this share of the start rate (0.625/s
    /// for a start of 5/s): a share of a bucket too small to matter, at which a run still ends.
    static let floorShare = 0.125
    /// Sends remembered to measure the real rate.
    static let history = 4096

    public let policy: RatePolicy
    public let raiseInterval: Duration
    private let timing: Timing
    private var pace: Double
    private var ceiling: Double
    private var tokens: Double = 1
    private var refilled: Duration
    private let started: Duration
    private var pausedUntil: Duration = .zero
    private var lastCut: Duration?
    private var lastRaise: Duration
    /// Whether a caller waited for its turn since the last raise: only then is the pace what
    /// limits the work, and raising it means anything.
    private var queued = false
    private var throttles = 0
    private var requests = 0
    private var sent: [Duration] = []
    private var sentNext = 0

    public init(policy: RatePolicy, raiseInterval: Duration = .milliseconds(250), timing: Timing = .continuous) {
        self.policy = policy
        self.raiseInterval = raiseInterval
        self.timing = timing
        pace = policy.start
        ceiling = policy.ceiling
        let now = timing.now()
        refilled = now
        started = now
        lastRaise = now
        sent.reserveCapacity(Self.history)
    }

    public var state: State { State(pace: pace, ceiling: ceiling, throttles: throttles, requests: requests) }

    /// Waits until a request may go out.
    public func acquire() async throws -> Ticket {
        while true {
            let now = timing.now()
            if now < pausedUntil {
                queued = true
                try await timing.sleep(pausedUntil - now)
                continue
            }
            tokens = min(1, tokens + pace * Self.seconds(now - refilled))
            refilled = now
            if tokens >= 1 {
                tokens -= 1
                requests += 1
                remember(now)
                return Ticket(sentAt: now)
            }
            queued = true
            try await timing.sleep(.seconds((1 - tokens) / pace))
        }
    }

    /// The request was answered without a throttle.
    public func succeeded(_ ticket: Ticket) {
        let now = timing.now()
        guard queued, pace < ceiling, now - lastRaise >= raiseInterval else { return }
        pace = min(ceiling, pace * 2)
        lastRaise = now
        queued = false
    }

    /// The request was throttled; the bucket refills every `period`. Returns the pace before and
    /// after when this throttle cut it, nil when an earlier cut already covered the request.
    @discardableResult
    public func throttled(_ ticket: Ticket, period: Duration) -> (was: Double, now: Double)? {
        throttles += 1
        let now = timing.now()
        pausedUntil = max(pausedUntil, now + period)
        if let lastCut, ticket.sentAt <= lastCut { return nil }
        let was = pace
        let reached = min(pace, measuredRate(over: period, now: now, since: ticket.sentAt))
        pace = max(Self.minimumRate, policy.start * Self.floorShare, reached / 2)
        ceiling = pace
        tokens = 0
        refilled = pausedUntil
        lastCut = now
        return (was, pace)
    }

    /// Requests sent per second over the last `period` (at least a second, the shortest bucket),
    /// but not before the limiter began nor past the sends still remembered, and always back to
    /// the throttled request itself.
    func measuredRate(over period: Duration, now: Duration, since sentAt: Duration) -> Double {
        guard !sent.isEmpty else { return pace }
        var window = min(max(period, .seconds(1)), now - started)
        if sent.count == Self.history { window = min(window, now - sent[sentNext]) }
        window = max(window, now - sentAt)
        let from = now - window
        let within = sent.lazy.filter { $0 >= from }.count
        return Double(within) / max(Self.seconds(window), 1 / pace)
    }

    private func remember(_ time: Duration) {
        if sent.count < Self.history {
            sent.append(time)
        } else {
            sent[sentNext] = time
            sentNext = (sentNext + 1) % Self.history
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
