/// Paces the requests to one rate-limit bucket and finds the bucket's limit at run time.
///
/// Requests go out evenly spaced at the current pace (a token bucket holding one token, so that no
/// one-second window sees more than pace + 1 of them). While callers queue for their turn and no
/// request is throttled, the pace doubles every `raiseInterval` (a quarter second), up to the
/// policy's ceiling. On a throttle the bucket was full: the job's calls that the service let
/// through over the throttle's period, divided by the period, measure the bucket's rate; the pace
/// drops to three quarters of that (or of the pace, if lower) and that becomes the ceiling for the
/// rest of the run. The bucket is shared with the integrations that page people, so the job leaves
/// them a quarter and does not probe again and take their room a second time. No request goes out
/// until a period has passed since the answer to the job's oldest accepted call of the period:
/// that call has then left the service's window, and the bucket has room again whether it is a
/// rolling window, a token bucket or a fixed window that began before that call. At most the
/// period; the whole period when none of the period's calls was the job's, when the service asked
/// for the wait (`Retry-After`), and for the rest of the run once a shortened pause was followed
/// by another throttle within a period. Answers to requests sent before the cut are not counted
/// again.
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
    /// The share of the measured bucket rate the job keeps after a throttle; the rest is left to
    /// the integrations that share the bucket, and to the gaps between the job's own calls.
    static let keptShare = 0.75
    /// Accepted calls remembered to measure the bucket's rate; a period holding more counts as
    /// holding this many, which only lowers the estimate.
    static let history = 4096

    public let policy: RatePolicy
    public let raiseInterval: Duration
    private let timing: Timing
    private var pace: Double
    private var ceiling: Double
    private var tokens: Double = 1
    private var refilled: Duration
    private var pausedUntil: Duration = .zero
    private var lastCut: Duration?
    private var lastRaise: Duration
    /// Whether a caller waited for its turn since the last raise: only then is the pace what
    /// limits the work, and raising it means anything.
    private var queued = false
    private var throttles = 0
    /// The periods for which a pause that ended with the job's own oldest call was followed by
    /// another throttle within a period: that bucket does not refill as the short pause assumes (a
    /// fixed window, or calls of other integrations), so its later pauses last the whole period.
    private var shortPausesFailed: Set<Duration> = []
    /// Where the last short pause of each period ended.
    private var shortPauses: [Duration: Duration] = [:]
    private var requests = 0
    /// When the answers of calls the service let through came: the last `history` of them, in a
    /// ring that `acceptedNext` writes next.
    private var accepted: [Duration] = []
    private var acceptedNext = 0

    public init(policy: RatePolicy, raiseInterval: Duration = .milliseconds(250), timing: Timing = .continuous) {
        self.policy = policy
        self.raiseInterval = raiseInterval
        self.timing = timing
        pace = policy.start
        ceiling = policy.ceiling
        let now = timing.now()
        refilled = now
        lastRaise = now
        accepted.reserveCapacity(Self.history)
    }

    public var state: State { State(pace: pace, ceiling: ceiling, throttles: throttles, requests: requests) }

    /// How long from now no request goes out, after a throttle; zero when none is held.
    public var pauseRemaining: Duration { max(.zero, pausedUntil - timing.now()) }

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
                return Ticket(sentAt: now)
            }
            queued = true
            try await timing.sleep(.seconds((1 - tokens) / pace))
        }
    }

    /// The request was answered without a throttle.
    public func succeeded(_ ticket: Ticket) {
        let now = timing.now()
        remember(now)
        guard queued, pace < ceiling, now - lastRaise >= raiseInterval else { return }
        pace = min(ceiling, pace * 2)
        lastRaise = now
        queued = false
    }

    /// The request was throttled; the bucket refills every `period`. `waitingAtLeast` is a wait
    /// the service asked for (`Retry-After`): nothing goes out before it is over, whatever the
    /// job knows of its own calls. Returns the pace before and after when this throttle cut it,
    /// nil when an earlier cut already covered the request.
    @discardableResult
    public func throttled(_ ticket: Ticket, period: Duration, waitingAtLeast: Duration = .zero) -> (was: Double, now: Double)? {
        throttles += 1
        let now = timing.now()
        pausedUntil = max(pausedUntil, now + waitingAtLeast)
        if let lastCut, ticket.sentAt <= lastCut { return nil }
        let (count, oldest) = acceptedCalls(within: period, before: now)
        let was = pace
        let rate = Double(count) / max(Self.seconds(period), 1e-9)
        pace = max(Self.minimumRate, policy.start * Self.floorShare, min(pace, rate) * Self.keptShare)
        ceiling = pace
        if let ended = shortPauses[period], ticket.sentAt < ended + period { shortPausesFailed.insert(period) }
        var resume = now + period
        if !shortPausesFailed.contains(period), let oldest, oldest + period < resume {
            resume = oldest + period
            shortPauses[period] = resume
        }
        pausedUntil = max(pausedUntil, resume)
        tokens = 0
        refilled = max(now, pausedUntil)
        lastCut = now
        return (was, pace)
    }

    /// The job's calls that the service let through whose answers came in the `period` up to
    /// `end`, and the oldest answer: the service counted each call before its answer, so the call
    /// has left the service's window by the time its answer is a period old.
    func acceptedCalls(within period: Duration, before end: Duration) -> (count: Int, oldest: Duration?) {
        var count = 0
        var oldest: Duration?
        for time in accepted where time > end - period && time <= end {
            count += 1
            oldest = min(oldest ?? time, time)
        }
        return (count, oldest)
    }

    private func remember(_ time: Duration) {
        if accepted.count < Self.history {
            accepted.append(time)
        } else {
            accepted[acceptedNext] = time
            acceptedNext = (acceptedNext + 1) % Self.history
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
