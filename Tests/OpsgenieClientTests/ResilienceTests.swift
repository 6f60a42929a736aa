import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

@Suite("Opsgenie client under failures")
struct ResilienceTests {
    @Test("503s are retried with back-off until they pass")
    func serverErrors() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.script(.status(503), .status(502))
        _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
        #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 3)
        #expect(await harness.fake.alerts.count == 1)
        await harness.finish()
    }

    @Test("501 is not retried")
    func notImplemented() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.script(.status(501))
        await #expect(throws: OpsgenieError.self) { try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"]) }
        #expect(await harness.fake.calls.count == 1)
        await harness.finish()
    }

    @Test("429 waits for the bucket's period and retries")
    func throttled() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.script(.throttle(periodSeconds: 1), .throttle(periodSeconds: 60))
        _ = try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"])
        let statuses = await harness.fake.calls.map(\.status)
        #expect(statuses == [429, 429, 200])
        await harness.finish()
    }

    @Test("retries give up after the configured attempts, with the last status")
    func retriesExhausted() async throws {
        let harness = try await OpsgenieHarness.start { $0.retry.maxAttempts = 3 }
        await harness.fake.script(.status(503), .status(503), .status(503), .status(503))
        let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.onCallRecipients(schedule: "platform") }
        #expect(error?.kind == .status(503))
        #expect(await harness.fake.calls.count == 3)
        await harness.finish()
    }

    @Test("a dropped connection on a read is retried")
    func droppedRead() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.addSchedule(name: "platform", recipients: ["alice@example.com"])
        await harness.fake.script(.drop)
        #expect(try await harness.backend.onCallRecipients(schedule: "platform") == ["alice@example.com"])
        #expect(await harness.fake.calls.count == 2)
        await harness.finish()
    }

    @Test("a create whose answer is lost is not sent again when the alert exists: one alert, count 1")
    func lostCreateAnswer() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.script(.dropAfterProcessing)
        let id = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
        let alerts = await harness.fake.alerts
        #expect(alerts.count == 1)
        #expect(alerts.first?.id == id)
        #expect(alerts.first?.count == 1)
        #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 1)
        await harness.finish()
    }

    @Test("a create dropped before processing is sent again after checking the alias: one alert, count 1")
    func droppedCreate() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.script(.drop)
        _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
        let alerts = await harness.fake.alerts
        #expect(alerts.count == 1 && alerts.first?.count == 1)
        #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 2)
        await harness.finish()
    }

    @Test("with 30% 503s and a tight server rate limit, the client keeps under the limit and every create lands once")
    func noisyOpsgenie() async throws {
        let harness = try await OpsgenieHarness.start(faults: FakeOpsgenieFaults(serverErrorRate: 0.3, seed: 42)) {
            $0.retry.maxAttempts = 8
            $0.retry.throttleUnit = .seconds(1)
            $0.rateLimits[.alertWrite] = 8
        }
        await harness.fake.setRateLimit(.alertWrite, FakeRateLimit(perSecond: 10))
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<16 {
                group.addTask { try await harness.backend.createAlert(OpsgenieHarness.draft("r\(index)")) }
            }
            for try await _ in group {}
        }
        let alerts = await harness.fake.alerts
        #expect(alerts.count == 16)
        #expect(alerts.allSatisfy { $0.count == 1 })
        let statuses = await harness.fake.calls.compactMap(\.status)
        #expect(statuses.contains(503), "the fault injection took effect")
        #expect(!statuses.contains(429), "the client's own limit kept it under Opsgenie's")
        await harness.finish()
    }

    @Test("the client never has more requests in flight than its bound")
    func concurrencyBound() async throws {
        let harness = try await OpsgenieHarness.start(faults: FakeOpsgenieFaults(latency: .milliseconds(30))) { $0.maxConcurrentRequests = 2 }
        for name in ["a", "b", "c", "d", "e", "f"] { await harness.fake.addSchedule(name: name, recipients: []) }
        try await withThrowingTaskGroup(of: [String].self) { group in
            for name in ["a", "b", "c", "d", "e", "f"] { group.addTask { try await harness.backend.onCallRecipients(schedule: name) } }
            for try await _ in group {}
        }
        #expect(await harness.fake.maxInFlight <= 2)
        #expect(await harness.fake.calls.count == 6)
        await harness.finish()
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
