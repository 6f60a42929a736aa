import Foundation
import HTTPSupport
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

/// The Opsgenie transport and the adaptive pace together: a 429 from the fake slows its bucket.
@Suite("Opsgenie transport pacing")
struct TransportPacingTests {
    @Test("the transport tells the bucket of a 429: the write pace drops and the call is retried once the bucket has room")
    func transportReportsThrottle() async throws {
        try await OpsgenieHarness.with(configure: {
            $0.rateLimits[.alertWrite] = RatePolicy(start: 1_000, ceiling: 1_000)
            $0.retry.throttleUnit = .milliseconds(5)
        }) { harness async throws in
            await harness.fake.script(.throttle(periodSeconds: 60))
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let pacing = await harness.backend.transport.api.pacing()
            let writes = try #require(pacing[.alertWrite])
            #expect(writes.throttles == 1)
            #expect(writes.pace <= 500)
            #expect(writes.ceiling == writes.pace)
            #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 2)
        }
    }
}
