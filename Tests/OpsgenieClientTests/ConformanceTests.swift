import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

@Suite("Requests conform to Opsgenie's OpenAPI description")
struct ConformanceTests {
    @Test("every call the client makes, checked against swagger.json: zero findings")
    func everyCall() async throws {
        let harness = try await OpsgenieHarness.start()
        await harness.fake.addSchedule(name: "platform", recipients: ["alice@example.com"])
        let id = try await harness.backend.createAlert(OpsgenieHarness.draft("r1", responders: [
            Responder(kind: .schedule, name: "platform"), Responder(kind: .team, value: "4513b7ea-3b91-438f-b7e4-e3e54af9147c"),
        ]))
        _ = try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler", "teleport-cluster:teleport.example.com"])
        _ = try await harness.backend.openAlert(alias: "teleport-access-request/r1")
        _ = try await harness.backend.alert(id: id)
        try await harness.backend.addNote(alertID: id, note: "note")
        try await harness.backend.closeAlert(alertID: id, note: "closed")
        _ = try await harness.backend.onCallRecipients(schedule: "platform")
        try await harness.backend.ping()
        let calls = await harness.fake.calls
        #expect(Set(calls.map { FakeOpsgenieEndpoint.name($0) }).count >= 8)
        #expect(try OpsgenieHarness.conformance.findings(for: calls.map(\.request)).isEmpty)
        await harness.finish()
    }

    @Test("the check finds requests that do not conform")
    func catchesProblems() throws {
        func record(_ method: String, _ path: String, _ query: [(String, String)] = [], body: String = "") -> HTTPRequestRecord {
            HTTPRequestRecord(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, headers: [:], body: Data(body.utf8))
        }
        let findings = try OpsgenieHarness.conformance.findings(for: [
            record("GET", "/v2/alerts", [("limit", "many"), ("order", "sideways"), ("colour", "red")]),
            record("POST", "/v2/alerts", body: #"{"alias":"a","priority":"P9","responders":[{"name":"x"}],"bogus":1}"#),
            record("POST", "/v2/alerts/x/notes", [("identifierType", "id")], body: #"{"user":"u"}"#),
            record("GET", "/v2/nowhere"),
        ])
        let text = findings.joined(separator: "\n")
        for expected in ["query `limit`: `many` is not an integer", "query `order`: `sideways` is not one of", "query parameter `colour` is not described",
                         "required field `message` is missing", "body.priority: `P9` is not one of", "body.responders[0]: required field `type` is missing",
                         "field `bogus` is not described", "POST /v2/alerts/x/notes: body: required field `note` is missing", "GET /v2/nowhere: no such path"] {
            #expect(text.contains(expected), "missing finding: \(expected)\n\(text)")
        }
    }
}

/// Endpoint names of recorded calls, for coverage checks.
enum FakeOpsgenieEndpoint {
    static func name(_ call: RecordedCall) -> String {
        let segments = call.request.segments
        return call.method + " " + segments.enumerated().map { index, segment in index >= 2 && segment != "close" && segment != "notes"
            && segment != "requests" && segment != "on-calls" && segment != "ping" ? "*" : segment }.joined(separator: "/")
    }
}
