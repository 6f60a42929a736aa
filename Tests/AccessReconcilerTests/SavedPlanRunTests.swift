import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// `apply --plan` as a whole run: the saved plan narrows what is written, and never widens it.
@Suite("Applying a saved plan")
struct SavedPlanRunTests {
    let scenario: Scenario
    let manifests: ManifestSet
    var configuration: ReconcilerConfiguration

    init() throws {
        scenario = try Scenario.load(path: TestSupport.fixture("sandbox/morning-after-outage.yaml"))
        manifests = try ManifestLoader().load(path: TestSupport.manifestsPath)
        configuration = ReconcilerConfiguration()
        configuration.autoApproval.reviewer = "access-reconciler"
    }

    static let requester = "0193a1b2-0000-7000-8000-000000000001"

    typealias Backends = (requests: InMemoryAccessRequests, alerts: InMemoryAlertBackend)

    func reconciler(_ backends: Backends) -> Reconciler {
        Reconciler(configuration: configuration, manifests: manifests, requests: backends.requests, alerts: backends.alerts)
    }

    /// What `plan --out` would save now.
    func savedPlan(_ backends: Backends) async throws -> SavedPlan {
        SavedPlan(try await reconciler(backends).run(.plan, now: scenario.now).plan, alertBackend: .opsgenie)
    }

    func run(_ backends: Backends, saved: SavedPlan) async throws -> RunReport {
        let now = scenario.now
        let setup = RunSetup(configuration: configuration, manifests: manifests,
                             saved: try SavedPlanRun(plan: saved, source: "catch-up.json", alertBackend: .opsgenie, maxAge: .seconds(3600), now: now))
        return try await Reconciler(setup: setup, requests: backends.requests, alerts: backends.alerts).run(.apply, clock: { now })
    }

    @Test("a saved approval is decided again: the requester went off call after the plan, so no approval, and it is reported stale")
    func approvalDecidedAgain() async throws {
        let backends = scenario.makeBackends()
        let saved = try await savedPlan(backends)
        #expect(saved.actions.contains { $0.kind == .approveRequest && $0.requestId == Self.requester })

        var onCall = scenario.onCall
        onCall["teleport-access-alert-schedules"] = ["someone-else@example.com"]
        await backends.alerts.setOnCall(onCall)
        let report = try await run(backends, saved: saved)

        #expect(await backends.requests.requests[Self.requester]?.reviews.isEmpty == true, "no approval on grounds that no longer hold")
        let stale = try #require(report.savedPlan?.stale)
        #expect(stale.map(\.kind) == [.approveRequest])
        #expect(report.outcomes.contains { $0.action.kind == .createAlert && $0.action.requestID == Self.requester && $0.status == .done },
                "the create still held and was made")
        #expect(report.outcomes.count == saved.actions.count - 1, "every other saved action was carried out, nothing more")
        #expect(report.rounds.count == 2, "one round of writes, then one look for the report")
        #expect(report.exitStatus(detailedExitCode: false) == .success)
        let document = ReportDocument(report)
        #expect(document.savedPlan?.stale.count == 1)
        #expect(TextReport.render(report).contains("approveRequest request \(Self.requester): no longer planned by the fresh look"))
    }

    @Test("a saved plan of another cluster is refused at the first look, before any write")
    func otherClusterRefused() async throws {
        let backends = scenario.makeBackends()
        var saved = try await savedPlan(backends)
        saved.cluster = "staging.example.com"
        await #expect(throws: SavedPlanError.otherCluster(file: "catch-up.json", saved: "staging.example.com", live: scenario.cluster)) {
            _ = try await run(backends, saved: saved)
        }
        #expect(await backends.alerts.writes.isEmpty)
        #expect(await backends.requests.writes.isEmpty)
    }

    @Test("an empty saved plan writes nothing, even with a whole catch-up to do; the report still says what differs")
    func emptyPlanWritesNothing() async throws {
        let backends = scenario.makeBackends()
        let empty = SavedPlan(Plan(cluster: scenario.cluster, generatedAt: scenario.now, actions: [], findings: []), alertBackend: .opsgenie)
        let report = try await run(backends, saved: empty)
        #expect(await backends.alerts.writes.isEmpty)
        #expect(await backends.requests.writes.isEmpty)
        #expect(!report.finalPlan.actions.isEmpty)
        #expect(report.exitStatus(detailedExitCode: true) == .drift)
        #expect(report.exitStatus(detailedExitCode: false) == .success)
    }
}
