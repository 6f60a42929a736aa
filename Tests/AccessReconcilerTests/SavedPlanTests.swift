@testable import AccessReconciler
import Foundation
import Testing

@Suite("Saved plans (plan --out, apply --plan)")
struct SavedPlanTests {
    static let now = TestSupport.time()

    static func create(_ request: String) -> PlannedAction {
        .createAlert(CreateAlert(
            requestID: request,
            draft: AlertDraft(message: "m", alias: "teleport-access-request/\(request)", description: "d",
                              responders: [Responder(kind: .schedule, name: "platform")], priority: .p3, tags: [], details: [:]),
            record: [:], reason: "pending request has no open alert"))
    }

    static func approve(_ request: String) -> PlannedAction {
        .approveRequest(ApproveRequest(requestID: request, user: "alice@example.com", schedules: ["platform"], reviewReason: "on call",
                                       reason: "alice is on call"))
    }

    static func note(_ request: String, alert: String, after count: Int) -> PlannedAction {
        .addNote(AddNote(requestID: request, alertID: alert, note: "review \(count)", reviewsCountAfter: count, reason: "review not on the alert"))
    }

    static func close(_ request: String, alert: String) -> PlannedAction {
        .closeAlert(CloseAlert(requestID: request, alertID: alert, resolution: .approved, resolveReason: "", note: "approved",
                               reason: "request was approved", record: [:]))
    }

    static func plan(_ actions: [PlannedAction], cluster: String = "prod", at time: Date = now) -> Plan {
        Plan(cluster: cluster, generatedAt: time, actions: actions, findings: [])
    }

    @Test("a fresh look's action is carried out only when the saved plan holds it: same kind, request and alert")
    func selectsOnlySavedActions() {
        let saved = SavedPlan(Self.plan([Self.create("r1"), Self.approve("r1"), Self.close("r2", alert: "a2")]), alertBackend: .opsgenie)
        // Meanwhile: r2's alert was closed by someone (no close planned now), r3 came in, and r1's
        // alert would go to another alert id for the close — none of that is in the saved plan.
        let fresh = Self.plan([Self.create("r1"), Self.approve("r1"), Self.create("r3"), Self.close("r4", alert: "a4")])
        let (selected, stale) = saved.select(from: fresh)
        #expect(selected.actions == [Self.create("r1"), Self.approve("r1")])
        #expect(stale.map(\.kind) == [.closeAlert])
        #expect(stale.map(\.requestId) == ["r2"])
        #expect(selected.cluster == "prod")
    }

    @Test("an action on another alert of the same request is not the saved one")
    func alertIdentityMatters() {
        let saved = SavedPlan(Self.plan([Self.close("r1", alert: "a1")]), alertBackend: .opsgenie)
        let (selected, stale) = saved.select(from: Self.plan([Self.close("r1", alert: "a9")]))
        #expect(selected.actions.isEmpty)
        #expect(stale.map(\.alertId) == ["a1"])
    }

    @Test("two notes saved for one alert match two fresh notes; a third fresh note is not added")
    func notesCountedOneForOne() {
        let saved = SavedPlan(Self.plan([Self.note("r1", alert: "a1", after: 1), Self.note("r1", alert: "a1", after: 2)]), alertBackend: .jsm)
        let fresh = Self.plan([Self.note("r1", alert: "a1", after: 1), Self.note("r1", alert: "a1", after: 2), Self.note("r1", alert: "a1", after: 3)])
        let (selected, stale) = saved.select(from: fresh)
        #expect(selected.actions.count == 2)
        #expect(stale.isEmpty)
    }

    @Test("written and read back, a saved plan is the same; the file holds a format name and a version")
    func roundTrip() throws {
        let path = try TestSupport.directory([:]) + "/plan.json"
        let saved = SavedPlan(Self.plan([Self.create("r1"), Self.approve("r1")]), alertBackend: .opsgenie)
        try saved.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#""format" : "access-reconciler-plan""#))
        #expect(text.contains(#""version" : 1"#))
        let read = try SavedPlan.read(path: path)
        #expect(read.actions == saved.actions)
        #expect(abs(read.generatedAt.timeIntervalSince(saved.generatedAt)) < 1)
        #expect(read.cluster == "prod")
        #expect(text.contains(#""alertBackend" : "opsgenie""#), "the backend as its word, as before")
    }

    @Test("a file that is not a saved plan, of a newer version, or missing a field is refused, naming the file and the field")
    func badFilesRefused() throws {
        let folder = try TestSupport.directory([:])
        let cases: [(String, String)] = [
            ("not json", "not JSON"),
            (#"{"schemaVersion": 2, "mode": "plan"}"#, "not a plan saved by `plan --out`"),
            (#"{"format": "access-reconciler-plan", "version": 7}"#, "`version` 7 is not one this build reads"),
            (#"{"format": "access-reconciler-plan", "version": 1, "cluster": "prod", "alertBackend": "opsgenie", "generatedAt": "2026-11-26T10:00:00Z", "findings": []}"#,
             "`actions` is missing"),
            (#"{"format": "access-reconciler-plan", "version": 1, "cluster": "prod", "alertBackend": "opsgenie", "generatedAt": "2026-11-26T10:00:00Z", "findings": [], "actions": [{"kind": "launchRocket", "requestId": "r", "reason": ""}]}"#,
             "`actions[0].kind`"),
            (#"{"format": "access-reconciler-plan", "version": 1, "cluster": "prod", "alertBackend": "pagerduty", "generatedAt": "2026-11-26T10:00:00Z", "findings": [], "actions": []}"#,
             "`alertBackend`"),
        ]
        for (index, (content, message)) in cases.enumerated() {
            let path = folder + "/plan\(index).json"
            try content.write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: SavedPlanError.self) { try SavedPlan.read(path: path) }
            #expect(error?.description.hasPrefix(path + ": ") == true)
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "") should say \(message)")
        }
    }

    @Test("a plan of another cluster or backend, older than the limit, or from the future is refused")
    func refusals() throws {
        let saved = SavedPlan(Self.plan([Self.create("r1")], at: Self.now), alertBackend: .opsgenie)
        func run(backend: AlertBackendID = .opsgenie, at now: Date) throws -> SavedPlanRun {
            try SavedPlanRun(plan: saved, source: "p.json", alertBackend: backend, maxAge: .seconds(3600), now: now)
        }
        _ = try run(at: Self.now.addingTimeInterval(3599))
        try saved.checkCluster("prod", source: "p.json")
        #expect(throws: SavedPlanError.otherCluster(file: "p.json", saved: "prod", live: "staging")) {
            try saved.checkCluster("staging", source: "p.json")
        }
        #expect(throws: SavedPlanError.otherBackend(file: "p.json", saved: .opsgenie, configured: .jsm)) {
            try run(backend: .jsm, at: Self.now)
        }
        #expect(throws: SavedPlanError.tooOld(file: "p.json", age: .seconds(3601), maxAge: .seconds(3600))) {
            try run(at: Self.now.addingTimeInterval(3601))
        }
        #expect(throws: SavedPlanError.self) {
            try run(at: Self.now.addingTimeInterval(-600))
        }
    }
}
