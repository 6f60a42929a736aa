import AccessReconciler
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPSupport
@testable import JSMClient
import ReconcilerTesting
import Testing

/// A fake JSM Operations on loopback and a client configured for it, with short waits. After each
/// test every exchange is checked against the project's description of the API, and the fake
/// stops.
struct JSMHarness {
    let fake: FakeJSM
    let client: JSMAlertBackend
    let token: String

    static let conformance = Result { try OpenAPIConformance(descriptionAt: TestRepository.jsmContract) }

    static func with(knownEmails: [String: String] = [:], siteURL: Bool = true, faults: FakeServiceFaults = FakeServiceFaults(),
                     grammar: FakeQueryGrammar = .documented, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                     _ body: (JSMHarness) async throws -> Void) async throws {
        let token = "ATATT-test-" + UUID().uuidString
        let fake = try await FakeJSM.start(user: "bot@example.com", apiToken: token, faults: faults)
        await fake.setQueryGrammar(grammar)
        let url = await fake.baseURL
        var configuration = JSMConfiguration(apiURL: url, cloudID: fake.cloudID, siteURL: siteURL ? url : nil, user: "bot@example.com",
                                             apiToken: Secret(token))
        configuration.knownEmails = knownEmails
        configuration.retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), throttleUnit: .milliseconds(20))
        configuration.statusPolling = StatusPolling(firstDelay: .milliseconds(2), maxDelay: .milliseconds(5), attempts: 40)
        // Generous: when every suite starts at once on a loaded 2-core machine, a loopback answer
        // has taken over 5 s, and the retry after a timeout changed the calls a test counts.
        configuration.requestTimeout = .seconds(30)
        configuration.rateLimits = [.alertWrite: .fixed(10_000), .alertRead: .fixed(10_000), .schedule: .fixed(10_000), .user: .fixed(10_000)]
        let harness = JSMHarness(fake: fake, client: JSMAlertBackend(configuration: configuration), token: token)
        try await withStopping(harness, stop: { harness in
            do {
                let findings = try conformance.get().findings(for: await harness.fake.calls)
                #expect(findings.isEmpty, "exchanges not conforming to the JSM description: \(findings)", sourceLocation: sourceLocation)
            } catch {
                Issue.record(error, sourceLocation: sourceLocation)
            }
            await harness.fake.stop()
        }, body)
    }

    /// The status of a GET of an operations path (`/v1/...`) sent as the client would send it.
    func get(_ path: String, query: [String: String]) async throws -> Int {
        var components = URLComponents(url: await fake.baseURL.appendingPathComponent("jsm/ops/api/\(fake.cloudID)" + path), resolvingAgainstBaseURL: false)!
        components.queryItems = query.map { URLQueryItem(name: $0.key, value: $0.value) }
        var request = URLRequest(url: components.url!)
        request.setValue("Basic " + Data("bot@example.com:\(token)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    static func draft(_ request: String = "r1", responders: [Responder] = []) -> AlertDraft {
        AlertDraft(message: "Access request from alice@example.com", alias: AlertAlias.forRequest(request), description: "roles: editor",
                   responders: responders, priority: .p3, tags: ["access-reconciler", "teleport-cluster:c"], details: ["teleport-request-id": request])
    }
}
