import Foundation
import HTTPSupport
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

/// The adaptive pace, on a virtual clock: a simulated server applies the same rolling buckets as
/// the fakes, so every figure here is exact and the same on every run.
@Suite("Adaptive pacing")
struct AdaptivePacingTests {
    /// Sends `count` requests one after another to a server with `limit`; returns what happened.
    static func simulate(policy: RatePolicy, limit: FakeRateLimit?, count: Int) async throws -> Simulation {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: policy, timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        var server = FakeRateWindows<String>()
        var simulation = Simulation()
        for _ in 0..<count {
            let ticket = try await limiter.acquire()
            if let limit, let period = server.admit("writes", under: limit, at: time.seconds) {
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
        #expect(run.final.pace < Double(allowed) * 0.75, "settled well below the rate the throttle came at: \(run.final.pace)/s")
    }

    @Test("against a per-minute bucket it waits for the minute and settles at no less than half the bucket's rate")
    func perMinuteBucket() async throws {
        // 300 a minute is 5 a second; 40 a second would be allowed for a moment.
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 100), limit: FakeRateLimit(perSecond: 40, perMinute: 300), count: 2_000)
        #expect(run.settledRate >= 2.5, "settled at \(run.settledRate)/s")
        #expect(run.settledRate <= 5.01)
        #expect(run.throttledShare <= 0.05, "\(run.throttled) throttled")
        let gaps = zip(run.accepted, run.accepted.dropFirst()).map { $1 - $0 }
        #expect((gaps.max() ?? 0) >= 59, "a 60-second bucket means waiting for the minute")
    }

    @Test("never above the ceiling, even when the server allows more")
    func ceilingHolds() async throws {
        let run = try await Self.simulate(policy: RatePolicy(start: 5, ceiling: 25), limit: FakeRateLimit(perSecond: 1_000), count: 1_000)
        #expect(run.highestPace == 25)
        #expect(run.busiestSecond <= 26)
        #expect(run.throttled == 0)
    }

    @Test("throttles of requests sent before the cut count once: the pace halves once, not once per request in flight")
    func oneCutPerEpisode() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: .fixed(10), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        var tickets: [AdaptiveRateLimiter.Ticket] = []
        for _ in 0..<11 { tickets.append(try await limiter.acquire()) }
        for ticket in tickets { await limiter.throttled(ticket, period: .seconds(1)) }
        let state = await limiter.state
        #expect(state.pace == 5)
        #expect(state.throttles == 11)
        let before = time.now
        _ = try await limiter.acquire()
        #expect(time.now - before >= .seconds(1), "nothing goes out until the bucket's period is over")
    }

    @Test("throttle after throttle, the pace halves each time but stops at an eighth of the start rate")
    func floor() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: RatePolicy(start: 8, ceiling: 8), timing: .init(now: { time.now }, sleep: { time.advance(by: $0) }))
        var paces: [Double] = []
        for _ in 0..<8 {
            let ticket = try await limiter.acquire()
            await limiter.throttled(ticket, period: .seconds(1))
            paces.append(await limiter.state.pace)
        }
        #expect(paces.first! <= 4)
        #expect(zip(paces, paces.dropFirst()).allSatisfy { $1 <= $0 })
        #expect(paces.last == 1, "\(paces)")
    }

    @Test("the transport tells the bucket of a 429: the write pace halves and the call is retried after the period")
    func transportReportsThrottle() async throws {
        try await OpsgenieHarness.with(configure: {
            $0.rateLimits[.alertWrite] = RatePolicy(start: 1_000, ceiling: 1_000)
            $0.retry.throttleUnit = .milliseconds(5)
        }) { harness async throws in
            await harness.fake.script(.throttle(periodSeconds: 60))
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let pacing = await harness.backend.transport.api.pacing()
            let writes = try #require(pacing[OpsgenieDomain.alertWrite.rawValue])
            #expect(writes.throttles == 1)
            #expect(writes.pace <= 500)
            #expect(writes.ceiling == writes.pace)
            #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 2)
        }
    }
}
