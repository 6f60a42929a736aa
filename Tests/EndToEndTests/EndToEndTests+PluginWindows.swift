import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// The windows Teleport's Opsgenie plugin leaves open when it stops mid-work, each caught up over
/// both fakes; a second apply then writes nothing.
extension EndToEndTests {
    /// One situation the plugin can leave behind: a request, its plugin data, and the plugin's
    /// open alert (no tags, no details).
    struct PluginWindow: Sendable, CustomTestStringConvertible {
        var name: String
        var state: RequestState
        var pluginData: [String: String]?
        /// Whether the alert should end closed (else adopted and still open).
        var closes: Bool

        var testDescription: String { name }
    }

    static let pluginWindows = [
        PluginWindow(name: "approved, resolution recorded before a close that never happened", state: .approved,
                     pluginData: ["alert_id": "plugin-alert", "user": "bob", "roles": "editor", "resolution": "approved", "resolve_reason": "fine"],
                     closes: true),
        PluginWindow(name: "denied, plugin data written but the alert id never recorded", state: .denied,
                     pluginData: ["user": "bob", "roles": "editor", "created": "1"], closes: true),
        PluginWindow(name: "approved, no plugin data at all", state: .approved, pluginData: nil, closes: true),
        PluginWindow(name: "pending, no plugin data: the alert is adopted, not raised again", state: .pending, pluginData: nil, closes: false),
    ]

    @Test("catches up what the plugin left", arguments: everyFake, pluginWindows)
    func pluginWindow(_ fake: (SandboxBackend, FakeQueryGrammar), _ window: PluginWindow) async throws {
        let (backend, grammar) = fake
        let now = Date()
        let id = "0193a1b2-0000-7000-8000-0000000000a1"
        let created = now.addingTimeInterval(-3600)
        let review = AccessReview(author: "lead@example.com", proposedState: window.state == .denied ? .denied : .approved, reason: "fine",
                                  created: now.addingTimeInterval(-600))
        let request = AccessRequest(id: id, user: "myuser@example.com", roles: ["editor"], state: window.state, created: created,
                                    accessExpires: now.addingTimeInterval(7200), resourceExpires: now.addingTimeInterval(86_400),
                                    requestReason: "deploy", resolveReason: window.state == .pending ? "" : "fine",
                                    systemAnnotations: [RequestAnnotation.notifyServices: ["teleport-access-request-notifications"]],
                                    reviews: window.state == .pending ? [] : [review])
        let alert = Alert(id: "plugin-alert", alias: AlertAlias.forRequest(id), message: "Access request from myuser@example.com", createdAt: created)
        let world = Scenario(cluster: "teleport.example.com", now: now, requests: [request], alerts: [alert],
                             pluginData: window.pluginData.map { [id: RequestPluginData(entries: [backend.pluginName: $0])] } ?? [:])
        try await withSandbox(scenario: world, backend: backend, grammar: grammar) { sandbox async throws in
            let first = try await run(.apply, sandbox)
            #expect(first.exitStatus(detailedExitCode: false) == .success, "\(TextReport.render(first))")
            let alerts = await sandbox.alerting.alerts
            #expect(alerts.count == 1, "no second alert")
            #expect(alerts.first?.count == 1, "never raised again")
            #expect(await sandbox.alerting.callCounts()[backend.createEndpoint] == nil, "no create was sent for the alias")
            let record = await sandbox.teleport.state.pluginData(id)?[backend.pluginName] ?? [:]
            if window.closes {
                #expect(alerts.first?.status == "closed")
                #expect(alerts.first?.notes.last == "Access request has been \(window.state == .denied ? "denied" : "approved")\nReason: fine")
                #expect(record["reconciler_checked"] == (window.state == .denied ? "denied" : "approved"))
                #expect(record["resolution"] == (window.state == .denied ? "denied" : "approved"))
            } else {
                #expect(alerts.first?.status == "open")
                #expect(record["alert_id"] == "plugin-alert")
                #expect(record["created"] == String(Int(sandbox.scenario.requests[0].created.timeIntervalSince1970)),
                        "the request's creation time, as the plugin records it")
                #expect(record["request_reason"] == "deploy")
            }
            let writesBefore = await writes(sandbox)
            let second = try await run(.apply, sandbox)
            #expect(second.plan.actions.isEmpty, "\(TextReport.render(second))")
            #expect(await writes(sandbox) == writesBefore, "a second apply makes zero writes")
        }
    }

    @Test("a resolved request whose alert the plugin closed costs one lookup in its life, then none", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func oneLookupPerResolvedRequest(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        let now = Date()
        let id = "0193a1b2-0000-7000-8000-0000000000b1"
        let request = AccessRequest(id: id, user: "bob", roles: ["editor"], state: .approved, created: now.addingTimeInterval(-3600),
                                    accessExpires: now.addingTimeInterval(7200), resolveReason: "fine")
        let closed = Alert(id: "plugin-alert", alias: AlertAlias.forRequest(id), status: .closed, createdAt: now.addingTimeInterval(-3600))
        let world = Scenario(cluster: "teleport.example.com", now: now, requests: [request], alerts: [closed],
                             pluginData: [id: RequestPluginData(entries: [backend.pluginName: ["alert_id": "plugin-alert", "resolution": "approved"]])])
        try await withSandbox(scenario: world, backend: backend, grammar: grammar) { sandbox async throws in
            let lookups: @Sendable () async -> Int = {
                await sandbox.alerting.calls.filter { $0.request.queryValue("query")?.contains("alias:") == true }.count
            }
            let first = try await run(.apply, sandbox)
            #expect(first.outcomes.map(\.action.kind) == [.recordResolution])
            #expect(await lookups() == 1)
            #expect(await sandbox.teleport.state.pluginData(id)?[backend.pluginName]?["reconciler_checked"] == "approved")
            #expect(await sandbox.teleport.state.pluginData(id)?[backend.pluginName]?["resolution"] == "approved")
            _ = try await run(.apply, sandbox)
            _ = try await run(.plan, sandbox)
            #expect(await lookups() == 1, "later runs look nothing up for it")
        }
    }
}
