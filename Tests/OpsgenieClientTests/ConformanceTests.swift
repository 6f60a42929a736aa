import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

@Suite("Requests and the fake's responses conform to the project's Opsgenie description")
struct ConformanceTests {
    @Test("every call the client makes and every answer of the fake, checked against the description: zero findings")
    func everyCall() async throws {
        try await OpsgenieHarness.with { harness async throws in
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
            let calls = await harness.fake.calls
            #expect(Set(calls.map { FakeOpsgenieEndpoint.name($0) }).count >= 7, "every endpoint the client uses")
            #expect(try OpsgenieHarness.conformance.findings(for: calls).isEmpty)
            #expect(calls.allSatisfy { $0.responseBody != nil }, "every response was recorded and so checked")
        }
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

    @Test("the check finds responses that do not conform, and limits that only the documentation states")
    func catchesResponseProblems() throws {
        func call(_ method: String, _ path: String, status: Int, response: String, body: String = "") -> RecordedCall {
            RecordedCall(request: HTTPRequestRecord(method: method, path: path, query: [], headers: [:], body: Data(body.utf8)),
                         status: status, responseBody: Data(response.utf8))
        }
        let longMessage = String(repeating: "m", count: 131)
        let findings = try OpsgenieHarness.conformance.findings(for: [
            call("GET", "/v2/alerts", status: 200, response: #"{"data":[{"id":"a","count":"two","flavour":"x"}],"took":0.1,"requestId":"r"}"#),
            call("GET", "/v2/alerts/requests/x", status: 200, response: #"{"data":{"isSuccess":"yes"},"took":0.1}"#),
            call("POST", "/v2/alerts", status: 202, response: #"{"result":"Request will be processed","took":0.1,"requestId":"r"}"#,
                 body: #"{"message":"\#(longMessage)","tags":["a"]}"#),
        ])
        let text = findings.joined(separator: "\n")
        for expected in ["GET /v2/alerts → 200: response.data[0].count: expected an integer", "response.data[0]: field `flavour` is not described",
                         "GET /v2/alerts/requests/x → 200: response: required field `requestId` is missing", "response.data.isSuccess: expected a boolean",
                         "POST /v2/alerts: body.message: 131 characters, more than 130"] {
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
