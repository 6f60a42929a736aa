import Foundation
import HTTPSupport
import ReconcilerTesting
import Testing

/// The adaptive pace, on a virtual clock: a simulated server applies the same rolling buckets as
/// the fakes, so every figure here is exact and the same on every run.
@Suite("Adaptive pacing")
struct AdaptivePacingTests {
    /// Sends `count` requests one after another to a server with `limit`; returns what happened.
    static func simulate(policy: RatePolicy, limit: FakeRateLimit?, count: Int) async throws -> Simulation {
        var server = FakeRateWindows<String>()
        return try await simulate(policy: policy, count: count) { now in limit.flatMap { server.admit("writes", under: $0, at: now) } }
    }

    /// Sends `count` requests one after another to a server whose `admit` returns the period of a
    /// throttle, or nil to accept.
    static func simulate(policy: RatePolicy, count: Int, admit: (Double) -> Int?) async throws -> Simulation {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: policy, timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        var simulation = Simulation()
        for _ in 0..<count {
            let ticket = try await limiter.acquire()
            if let period = admit(time.seconds) {
                simulation.throttled += 1
                await limiter.throttled(ticket, period: .seconds(period))
            } else {
                simulation.accepted.append(time.seconds)
                await limiter.succeeded(ticket)
            }
            simulation.highestPace = max(simulation.highestPace, await limiter.state.pace)
        }
        simulation.final = await limiter.state
        return simulation
    }

    struct Simulation {
        var accepted: [Double] = []
        var throttled = 0
        var highestPace = 0.0
        var final = AdaptiveRateLimiter.State(pace: 0, ceiling: 0, throttles: 0)

        /// Accepted requests per second over the second half of the run: the rate it settled at.
        var settledRate: Double {
            let half = accepted.suffix(accepted.count / 2)
            guard let first = half.first, let last = half.last, last > first else { return 0 }
            return Double(half.count - 1) / (last - first)
        }

        /// The most requests accepted in any rolling second.
        var busiestSecond: Int {
            accepted.indices.map { start in accepted[start...].prefix { $0 - accepted[start] < 1 }.count }.max() ?? 0
        }

        var throttledShare: Double { Double(throttled) / Double(throttled + accepted.count) }
    }

    @Test("while callers queue and nothing is throttled, the pace doubles up to the ceiling and no further")
    func raisesToTheCeiling() async throws {
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 40), limit: nil, count: 400)
        #expect(run.final.pace == 40)
        #expect(run.highestPace == 40)
        #expect(run.busiestSecond <= 41, "busiest second held \(run.busiestSecond)")
        #expect(run.settledRate > 38, "settled at \(run.settledRate)/s")
        #expect(run.throttled == 0)
    }

    @Test("a fixed policy never rises")
    func fixedStays() async throws {
        let run = try await Self.simulate(policy: .fixed(8), limit: nil, count: 100)
        #expect(run.highestPace == 8)
        #expect(run.busiestSecond <= 9)
    }

    @Test("without callers queueing for their turn the pace does not rise: the pace is not what limits the work")
    func noRaiseWithoutQueue() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: RatePolicy(start: 5, ceiling: 100), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        for _ in 0..<20 {
            let ticket = try await limiter.acquire()
            await limiter.succeeded(ticket)
            time.advance(by: .seconds(1))
        }
        #expect(await limiter.state.pace == 5)
    }

    @Test("against a server allowing N per second it settles between N/2 and N, with at most 5% throttled", arguments: [8, 20, 60])
    func perSecondBucket(_ allowed: Int) async throws {
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 200), limit: FakeRateLimit(perSecond: allowed), count: 3_000)
        #expect(run.settledRate >= Double(allowed) / 2, "settled at \(run.settledRate)/s against \(allowed)/s")
        #expect(run.settledRate <= Double(allowed) + 0.5)
        #expect(run.throttledShare <= 0.05, "\(run.throttled) throttled")
        #expect(run.final.ceiling == run.final.pace, "after a throttle the pace does not probe again")
        #expect(run.final.pace <= Double(allowed) * 0.75, "settled a quarter below the bucket's rate: \(run.final.pace)/s")
    }

    @Test("against a per-minute bucket it waits until its own oldest call of the minute has left it, and settles at no less than half the bucket's rate")
    func perMinuteBucket() async throws {
        // 300 a minute is 5 a second; 40 a second would be allowed for a moment.
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 100), limit: FakeRateLimit(perSecond: 40, perMinute: 300), count: 2_000)
        #expect(run.settledRate >= 2.5, "settled at \(run.settledRate)/s")
        #expect(run.settledRate <= 5.01)
        #expect(run.throttledShare <= 0.05, "\(run.throttled) throttled")
        let gaps = zip(run.accepted, run.accepted.dropFirst()).map { (from: $0, to: $1) }
        let longest = try #require(gaps.max { $0.to - $0.from < $1.to - $1.from })
        #expect(longest.to - run.accepted[0] >= 60, "the bucket has room only once the first call of the minute has left it")
        #expect(longest.to - longest.from < 59, "no longer than that: \(longest)")
    }

    @Test("against fixed one-minute windows a shortened pause that is throttled again gives way to whole periods, and the rate still settles between N/2 and N")
    func fixedMinuteWindows() async throws {
        // Windows of 300 calls begin 30 s before the job does, so the first pause ends too early.
        var window = (start: -30.0, used: 0)
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 10), count: 2_000) { now in
            while now >= window.start + 60 { window = (window.start + 60, 0) }
            guard window.used < 300 else { return 60 }
            window.used += 1
            return nil
        }
        #expect(run.settledRate >= 2.5, "settled at \(run.settledRate)/s")
        #expect(run.settledRate <= 5.01)
        #expect(run.throttled <= 6, "\(run.throttled) throttled")
        let gaps = zip(run.accepted, run.accepted.dropFirst()).map { $1 - $0 }
        #expect(gaps.filter { $0 >= 59 }.count >= 1, "after the failed short pause, pauses last the whole minute")
    }

    @Test("never above the ceiling, even when the server allows more")
    func ceilingHolds() async throws {
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 25), limit: FakeRateLimit(perSecond: 1_000), count: 1_000)
        #expect(run.highestPace == 25)
        #expect(run.busiestSecond <= 26)
        #expect(run.throttled == 0)
    }

    @Test("throttles of requests sent before the cut count once: the pace drops once, not once per request in flight")
    func oneCutPerEpisode() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: .fixed(10), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        for _ in 0..<10 { await limiter.succeeded(try await limiter.acquire()) }
        var tickets: [AdaptiveRateLimiter.Ticket] = []
        for _ in 0..<11 { tickets.append(try await limiter.acquire()) }
        var cuts: [(was: Double, now: Double)?] = []
        for ticket in tickets { cuts.append(await limiter.throttled(ticket, period: .seconds(1))) }
        let state = await limiter.state
        let cut = try #require(cuts[0])
        #expect(cut.was == 10)
        #expect(cut.now <= 7.5, "three quarters of the calls let through in the second before: \(cut.now)")
        #expect(cuts.dropFirst().allSatisfy { $0 == nil })
        #expect(state.pace == cut.now)
        #expect(state.throttles == 11)
    }

    @Test("a throttle when none of the period's calls was the job's holds every call for the whole period")
    func wholePeriodWithoutOwnCalls() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: .fixed(10), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        await limiter.throttled(try await limiter.acquire(), period: .seconds(60))
        let before = time.now
        _ = try await limiter.acquire()
        #expect(time.now - before >= .seconds(60))
    }

    @Test("a wait the service asks for (Retry-After) is waited in full, even where the job's own calls would let it go sooner")
    func serviceWaitIsKept() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: .fixed(10), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        for _ in 0..<10 { await limiter.succeeded(try await limiter.acquire()) }
        await limiter.throttled(try await limiter.acquire(), period: .seconds(60), waitingAtLeast: .seconds(60))
        let throttledAt = time.now
        _ = try await limiter.acquire()
        #expect(time.now - throttledAt >= .seconds(60))
    }

    @Test("after a throttle nothing goes out until the job's own oldest accepted call of the period has left it")
    func pauseEndsWithOwnOldestCall() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: .fixed(10), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        let first = time.now
        for _ in 0..<10 { await limiter.succeeded(try await limiter.acquire()) }
        await limiter.throttled(try await limiter.acquire(), period: .seconds(60))
        _ = try await limiter.acquire()
        #expect(time.now - first >= .seconds(60), "the first call leaves the minute at 60 s")
        #expect(time.now - first < .seconds(61), "and the bucket has room then: \(time.now - first)")
    }
}
