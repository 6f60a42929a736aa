import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Synchronization
import Testing

@Suite("Opsgenie client under failures")
struct ResilienceTests {
    @Test("503s are retried with back-off until they pass")
    func serverErrors() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.script(.status(503), .status(502))
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 3)
            #expect(await harness.fake.alerts.count == 1)
        }
    }

    @Test("501 is not retried")
    func notImplemented() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.script(.status(501))
            await #expect(throws: OpsgenieError.self) { try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"]) }
            #expect(await harness.fake.calls.count == 1)
        }
    }

    @Test("429 waits for the bucket's period and retries")
    func throttled() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.script(.throttle(periodSeconds: 1), .throttle(periodSeconds: 60))
            _ = try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"])
            let statuses = await harness.fake.calls.map(\.status)
            #expect(statuses == [429, 429, 200])
        }
    }

    @Test("a 60-second bucket's wait is taken even past the time budget for a silent peer: the throttled write is retried, not failed")
    func longThrottleIsWaited() async throws {
        try await OpsgenieHarness.with(configure: {
            $0.retry.throttleUnit = .milliseconds(5)
            $0.retry.maxElapsed = .milliseconds(50)
        }) { harness async throws in
            await harness.fake.script(.throttle(periodSeconds: 60))
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            #expect(await harness.fake.calls.compactMap(\.status).prefix(2) == [429, 202])
        }
    }

    @Test("retries give up after the configured attempts, with the last status")
    func retriesExhausted() async throws {
        try await OpsgenieHarness.with(configure: { $0.retry.maxAttempts = 3 }) { harness async throws in
            await harness.fake.script(.status(503), .status(503), .status(503), .status(503))
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.onCallRecipients(schedule: "platform") }
            #expect(error?.kind == .status(503))
            #expect(await harness.fake.calls.count == 3)
        }
    }

    @Test("a dropped connection on a read is retried")
    func droppedRead() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.addSchedule(name: "platform", recipients: ["alice@example.com"])
            await harness.fake.script(.drop)
            #expect(try await harness.backend.onCallRecipients(schedule: "platform") == ["alice@example.com"])
            #expect(await harness.fake.calls.count == 2)
        }
    }

    @Test("a create whose answer is lost is not sent again when the alert exists: one alert, count 1")
    func lostCreateAnswer() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.script(.dropAfterProcessing)
            let id = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let alerts = await harness.fake.alerts
            #expect(alerts.count == 1)
            #expect(alerts.first?.id == id)
            #expect(alerts.first?.count == 1)
            #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 1)
        }
    }

    @Test("a create dropped before processing is sent again after checking the alias: one alert, count 1")
    func droppedCreate() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.script(.drop)
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let alerts = await harness.fake.alerts
            #expect(alerts.count == 1 && alerts.first?.count == 1)
            #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 2)
        }
    }

    @Test("with 30% 503s, every create lands once")
    func noisyOpsgenie() async throws {
        try await OpsgenieHarness.with(faults: FakeServiceFaults(serverErrorRate: 0.3, seed: 42), configure: { $0.retry.maxAttempts = 8 }) { harness async throws in
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<16 {
                    group.addTask { try await harness.backend.createAlert(OpsgenieHarness.draft("r\(index)")) }
                }
                for try await _ in group {}
            }
            let alerts = await harness.fake.alerts
            #expect(alerts.count == 16)
            #expect(alerts.allSatisfy { $0.count == 1 })
            #expect(await harness.fake.calls.compactMap(\.status).contains(503), "the fault injection took effect")
        }
    }

    @Test("the fake's bucket: the request over the per-second limit gets 429 with Opsgenie's headers, the next second passes")
    func fakeBucket() async throws {
        let time = VirtualTime()
        try await OpsgenieHarness.with(configure: { $0.retry.maxAttempts = 1 }) { harness async throws in
            await harness.fake.setRateLimitClock { Date(timeIntervalSince1970: 1_790_000_000 + time.seconds) }
            await harness.fake.setRateLimit(.alertRead, FakeRateLimit(perSecond: 3))
            for _ in 0..<3 { _ = try await harness.backend.alert(id: "missing") }
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.alert(id: "missing") }
            #expect(error?.kind == .status(429))
            let throttled = try #require(await harness.fake.calls.last)
            #expect(throttled.status == 429)
            time.advance(by: .seconds(1))
            #expect(try await harness.backend.alert(id: "missing") == nil, "a new second, a new bucket")
        }
    }

    @Test("the client's pacing: at 8 per second, no one-second window holds more than 9 requests")
    func pacing() async throws {
        let time = VirtualTime()
        let limiter = AdaptiveRateLimiter(policy: .fixed(8), timing: AdaptiveRateLimiter.Timing(now: { time.now }, sleep: { time.advance(by: $0) }))
        var sent: [Duration] = []
        for _ in 0..<40 {
            let ticket = try await limiter.acquire()
            await limiter.succeeded(ticket)
            sent.append(time.now)
        }
        let busiest = sent.indices.map { start in sent[start...].prefix { $0 - sent[start] < .seconds(1) }.count }.max() ?? 0
        #expect(busiest <= 9, "busiest second held \(busiest)")
        #expect(sent.last! >= .milliseconds(4_875), "40 requests at 8/s take 39/8 s")
    }

    @Test("the client never has more requests in flight than its bound")
    func concurrencyBound() async throws {
        try await OpsgenieHarness.with(faults: FakeServiceFaults(latency: .milliseconds(30)), configure: { $0.maxConcurrentRequests = 2 }) { harness async throws in
            for name in ["a", "b", "c", "d", "e", "f"] { await harness.fake.addSchedule(name: name, recipients: []) }
            try await withThrowingTaskGroup(of: [String].self) { group in
                for name in ["a", "b", "c", "d", "e", "f"] { group.addTask { try await harness.backend.onCallRecipients(schedule: name) } }
                for try await _ in group {}
            }
            #expect(await harness.fake.maxInFlight <= 2)
            #expect(await harness.fake.calls.count == 6)
        }
    }

    @Test("a redirect to another host is refused, naming both URLs; the key never reaches that host", arguments: [301, 302, 307, 308])
    func redirectRefused(_ status: Int) async throws {
        let elsewhere = Recorder()
        let target = try await LoopbackHTTPServer { request in
            await elsewhere.add(request)
            return .json(202, ["result": "Request will be processed", "took": 0.0, "requestId": "x"])
        }
        let redirecting = try await LoopbackHTTPServer { request in
            .response(status: status, headers: ["Location": target.baseURL.absoluteString + request.path], body: Data())
        }
        var configuration = OpsgenieConfiguration(baseURL: redirecting.baseURL, apiKey: Secret("key-\(UUID().uuidString)"))
        configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        let backend = OpsgenieAlertBackend(configuration: configuration)
        let error = await #expect(throws: OpsgenieError.self) { try await backend.createAlert(OpsgenieHarness.draft("r1")) }
        #expect(error?.kind == .redirected)
        #expect(error?.description.contains(redirecting.baseURL.absoluteString + "/v2/alerts") == true)
        #expect(error?.description.contains(target.baseURL.absoluteString + "/v2/alerts") == true)
        #expect(await elsewhere.requests.isEmpty, "nothing, and so no key, was sent to the other host")
        await redirecting.shutdown()
        await target.shutdown()
    }

    @Test("a peer that accepts the connection and never answers costs a bounded time: retries stop within their time budget")
    func silentPeer() async throws {
        try await SilentPeer.with { peer async throws in
            var configuration = OpsgenieConfiguration(baseURL: URL(string: "http://\(peer.address)")!, apiKey: Secret("k"))
            configuration.requestTimeout = .milliseconds(400)
            configuration.retry = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20), maxElapsed: .seconds(1))
            let backend = OpsgenieAlertBackend(configuration: configuration)
            let error = await #expect(throws: OpsgenieError.self) { try await backend.listOpenAlerts(taggedWith: ["x"]) }
            guard case let .transport(reason)? = error?.kind else { Issue.record("expected a transport error, got \(String(describing: error))"); return }
            #expect(reason.contains("timed out") && reason.contains("127.0.0.1"), "\(reason)")
            // Counted, not timed: a loaded machine fires timeouts late, which only means fewer
            // attempts. The 1 s budget stops the retries before the ten the count allows.
            let words = reason.split(separator: " ")
            let attempts = words.firstIndex { $0.hasPrefix("attempt(s)") }.flatMap { Int(words[$0 - 1]) }
            #expect(attempts.map { (1..<10).contains($0) } == true, "bounded by the time budget, not by ten attempts: \(reason)")
        }
    }

    @Test("an unreachable Opsgenie fails with a transport error after the retries")
    func unreachable() async throws {
        var configuration = OpsgenieConfiguration(baseURL: URL(string: "http://127.0.0.1:9")!, apiKey: Secret("k"))
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        let backend = OpsgenieAlertBackend(configuration: configuration)
        let error = await #expect(throws: OpsgenieError.self) { try await backend.listOpenAlerts(taggedWith: ["x"]) }
        guard case .transport? = error?.kind else { Issue.record("expected a transport error, got \(String(describing: error))"); return }
    }
}

/// Requests a loopback server received, for assertions.
actor Recorder {
    private(set) var requests: [HTTPRequestRecord] = []
    func add(_ request: HTTPRequestRecord) { requests.append(request) }
}
