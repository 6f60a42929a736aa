import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

/// A fake Opsgenie on loopback and a client configured for it, with short waits so that retries
/// do not slow the suite. `finish()` checks every request the client sent against the official
/// OpenAPI description and stops the fake.
struct OpsgenieHarness {
    let fake: FakeOpsgenie
    let backend: OpsgenieAlertBackend
    let apiKey: String

    /// The project's description of the Opsgenie API subset, kept in the repository.
    static let contractPath = TestRepository.opsgenieContract

    static let loadedConformance = Result { try OpenAPIConformance(descriptionAt: contractPath) }

    /// The conformance check; a test fails (rather than the suite crashing) when the description cannot be read.
    static var conformance: OpenAPIConformance {
        get throws { try loadedConformance.get() }
    }

    private static func start(faults: FakeServiceFaults = FakeServiceFaults(), offsetCap: Int = 20_000, clientKey: String? = nil,
                      configure: (inout OpsgenieConfiguration) -> Void = { _ in }) async throws -> OpsgenieHarness {
        let apiKey = "test-" + UUID().uuidString
        let fake = try await FakeOpsgenie.start(apiKey: apiKey, faults: faults)
        await fake.setOffsetCap(offsetCap)
        var configuration = OpsgenieConfiguration(baseURL: await fake.baseURL, apiKey: Secret(clientKey ?? apiKey))
        configuration.retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), throttleUnit: .milliseconds(20))
        configuration.statusPolling = StatusPolling(firstDelay: .milliseconds(2), maxDelay: .milliseconds(5), attempts: 40)
        // Generous: when every suite starts at once on a loaded 2-core machine, a loopback answer
        // has taken over 5 s, and the retry after a timeout changed the calls a test counts.
        configuration.requestTimeout = .seconds(30)
        configuration.rateLimits = [.alertWrite: .fixed(10_000), .alertRead: .fixed(10_000), .schedule: .fixed(10_000)]
        configure(&configuration)
        return OpsgenieHarness(fake: fake, backend: OpsgenieAlertBackend(configuration: configuration, offsetCap: offsetCap), apiKey: apiKey)
    }

    /// Runs `body` against a fresh fake; afterwards checks every request the client sent and every
    /// response the fake answered against the project's description, and stops the fake, also
    /// when `body` throws.
    static func with(faults: FakeServiceFaults = FakeServiceFaults(), offsetCap: Int = 20_000, clientKey: String? = nil,
                     configure: (inout OpsgenieConfiguration) -> Void = { _ in },
                     sourceLocation: Testing.SourceLocation = #_sourceLocation,
                     _ body: (OpsgenieHarness) async throws -> Void) async throws {
        let harness = try await start(faults: faults, offsetCap: offsetCap, clientKey: clientKey, configure: configure)
        try await withStopping(harness, stop: { await $0.finish(sourceLocation: sourceLocation) }, body)
    }

    /// Checks the recorded exchanges against the description, then stops the fake.
    func finish(sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
        let calls = await fake.calls
        do {
            let findings = try Self.conformance.findings(for: calls)
            #expect(findings.isEmpty, "exchanges not conforming to the Opsgenie description: \(findings)", sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
        await fake.stop()
    }

    static func draft(_ requestID: String, message: String? = nil, responders: [Responder] = [Responder(kind: .schedule, name: "platform")]) -> AlertDraft {
        AlertDraft(message: message ?? "Access request from alice@example.com", alias: AlertAlias.forRequest(requestID),
                   description: "alice@example.com requested permissions for roles editor on Teleport at 25 Nov 26 07:30 UTC.",
                   responders: responders, priority: .p3, tags: ["access-reconciler", "teleport-cluster:teleport.example.com"],
                   details: ["teleport-request-id": requestID, "teleport-cluster": "teleport.example.com"])
    }
}
