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

    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Opsgenie's official OpenAPI description, from `shared/opsgenie-oas/` beside the checkout
    /// (or the file `OPSGENIE_OAS` names).
    static let swaggerPath: String = ProcessInfo.processInfo.environment["OPSGENIE_OAS"]
        ?? URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared/opsgenie-oas/swagger.json").path

    static let loadedConformance = Result { try OpenAPIConformance(swaggerJSON: swaggerPath) }

    /// The conformance check; a test fails (rather than the suite crashing) when the description is missing.
    static var conformance: OpenAPIConformance {
        get throws {
            do {
                return try loadedConformance.get()
            } catch {
                throw OpenAPIDescriptionMissing(path: swaggerPath, reason: "\(error)")
            }
        }
    }

    struct OpenAPIDescriptionMissing: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot read Opsgenie's OpenAPI description at \(path): \(reason)" }
    }

    static func start(faults: FakeOpsgenieFaults = FakeOpsgenieFaults(), offsetCap: Int = 20_000, clientKey: String? = nil,
                      configure: (inout OpsgenieConfiguration) -> Void = { _ in }) async throws -> OpsgenieHarness {
        let apiKey = "test-" + UUID().uuidString
        let fake = try await FakeOpsgenie.start(apiKey: apiKey, faults: faults)
        await fake.setOffsetCap(offsetCap)
        var configuration = OpsgenieConfiguration(baseURL: await fake.baseURL, apiKey: Secret(clientKey ?? apiKey))
        configuration.retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), throttleUnit: .milliseconds(20))
        configuration.statusPollInterval = .milliseconds(5)
        configuration.requestTimeout = .seconds(5)
        configuration.rateLimits = [.alertWrite: 10_000, .alertRead: 10_000, .schedule: 10_000, .heartbeat: 10_000]
        configure(&configuration)
        return OpsgenieHarness(fake: fake, backend: OpsgenieAlertBackend(configuration: configuration, offsetCap: offsetCap), apiKey: apiKey)
    }

    /// Checks the recorded requests against the OpenAPI description, then stops the fake.
    func finish(sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
        let calls = await fake.calls
        let findings: [String]
        do {
            findings = try Self.conformance.findings(for: calls.map(\.request))
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
            await fake.stop()
            return
        }
        #expect(findings.isEmpty, "requests not conforming to the OpenAPI description: \(findings)", sourceLocation: sourceLocation)
        await fake.stop()
    }

    static func draft(_ requestID: String, message: String? = nil, responders: [Responder] = [Responder(kind: .schedule, name: "platform")]) -> AlertDraft {
        AlertDraft(message: message ?? "Access request from alice@example.com", alias: AlertAlias.forRequest(requestID),
                   description: "alice@example.com requested permissions for roles editor on Teleport at 25 Nov 26 07:30 UTC.",
                   responders: responders, priority: .p3, tags: ["access-reconciler", "teleport-cluster:teleport.example.com"],
                   details: ["teleport-request-id": requestID, "teleport-cluster": "teleport.example.com"])
    }
}
