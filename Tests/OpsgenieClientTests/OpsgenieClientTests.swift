import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

@Suite("Opsgenie client against the fake Opsgenie")
struct OpsgenieClientTests {
    @Test("create: posts the alert, waits out RequestNotProcessed, returns the alert id from the request status")
    func create() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.setStatusDelayPolls(2)
            let id = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let alert = try #require(await harness.fake.alert(alias: "teleport-access-request/r1"))
            #expect(alert.id == id)
            #expect(alert.message == "Access request from alice@example.com")
            #expect(alert.tags == ["access-reconciler", "teleport-cluster:teleport.example.com"])
            #expect(alert.details["teleport-request-id"] == "r1")
            #expect(alert.responders == [["type": "schedule", "name": "platform"]])
            #expect(alert.priority == "P3")
            let counts = await harness.fake.callCounts()
            #expect(counts == ["POST /v2/alerts": 1, "GET /v2/alerts/requests/{requestId}": 3])
        }
    }

    @Test("a message over 130 characters is shortened safely, not rejected")
    func longMessage() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let user = String(repeating: "ü", count: 140) + "@example.com"
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1", message: AlertText.message(user: user)))
            let alert = try #require(await harness.fake.alert(alias: "teleport-access-request/r1"))
            #expect(alert.message.utf16.count <= 130)
            #expect(alert.message.hasPrefix("Access request from üü") && alert.message.hasSuffix("…"))
            // 👩‍💻 is one character of 5 UTF-16 units: it fits with the ellipsis in 6, not in 5, and is never split.
            #expect(FieldLimits.shorten("👩‍💻👩‍💻", to: 6) == "👩‍💻…")
            #expect(FieldLimits.shorten("👩‍💻👩‍💻", to: 5) == "…")
        }
    }

    @Test("a UUID responder is sent as id, a name as name")
    func responderIdentifiers() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let id = "4513b7ea-3b91-438f-b7e4-e3e54af9147c"
            _ = try await harness.backend.createAlert(OpsgenieHarness.draft("r1", responders: [Responder(kind: .team, value: id), Responder(kind: .schedule, value: "platform")]))
            let alert = try #require(await harness.fake.alert(alias: "teleport-access-request/r1"))
            #expect(alert.responders == [["type": "team", "id": id], ["type": "schedule", "name": "platform"]])
        }
    }

    @Test("creating with the alias of an open alert raises its count and returns the same alert")
    func aliasDeduplication() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let first = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let second = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            #expect(first == second)
            #expect(await harness.fake.alerts.count == 1)
            #expect(await harness.fake.alert(alias: "teleport-access-request/r1")?.count == 2)
        }
    }

    @Test("read by alias (with its slash) finds only the open alert; read by id finds any, with details")
    func readAlerts() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let id = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            let byAlias = try #require(try await harness.backend.openAlert(alias: "teleport-access-request/r1"))
            #expect(byAlias.id == id && byAlias.origin == .alias && byAlias.requestID == "r1")
            #expect(try await harness.backend.openAlert(alias: "teleport-access-request/unknown") == nil)
            try await harness.backend.closeAlert(alertID: id, note: "done")
            #expect(try await harness.backend.openAlert(alias: "teleport-access-request/r1") == nil)
            let byID = try #require(try await harness.backend.alert(id: id))
            #expect(byID.status == .closed)
            #expect(byID.details["teleport-cluster"] == "teleport.example.com")
            #expect(try await harness.backend.alert(id: "no-such-alert") == nil)
        }
    }

    @Test("close and note: confirmed through the request status; closing twice is fine; an unknown alert is an error")
    func closeAndNote() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let id = try await harness.backend.createAlert(OpsgenieHarness.draft("r1"))
            try await harness.backend.addNote(alertID: id, note: "bob reviewed the request")
            #expect(try await harness.backend.closeAlert(alertID: id, note: "Access request has been approved"))
            #expect(try await !harness.backend.closeAlert(alertID: id, note: "Access request has been approved"), "already closed")
            let alert = try #require(await harness.fake.alert(alias: "teleport-access-request/r1"))
            #expect(alert.status == "closed")
            #expect(alert.notes.prefix(2) == ["bob reviewed the request", "Access request has been approved"])
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.closeAlert(alertID: "missing", note: "x") }
            #expect(error?.description.contains("close alert missing failed") == true)
            #expect(error?.description.contains("Alert does not exist") == true)
        }
    }

    @Test("listing follows paging.next past 100 alerts and returns only open alerts with all the tags")
    func paging() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            for index in 0..<250 {
                await harness.fake.seed(FakeAlert(alias: "teleport-access-request/r\(index)", message: "m",
                                                          status: index % 50 == 0 ? "closed" : "open",
                                                          tags: ["access-reconciler", "teleport-cluster:a"], createdAt: start.addingTimeInterval(Double(index))))
            }
            await harness.fake.seed(FakeAlert(alias: "teleport-access-request/other", message: "m", tags: ["access-reconciler", "teleport-cluster:b"], createdAt: start))
            await harness.fake.seed(FakeAlert(alias: "disk-full", message: "m", createdAt: start))
            let alerts = try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler", "teleport-cluster:a"])
            #expect(alerts.count == 245)
            #expect(Set(alerts.map(\.id)).count == 245)
            #expect(alerts.allSatisfy { $0.status == .open && $0.tags.contains("teleport-cluster:a") })
            #expect(await harness.fake.callCounts()["GET /v2/alerts"] == 3)
        }
    }

    @Test("aliases are looked up many per query (alias terms joined by OR); only open alerts with exactly those aliases come back")
    func bulkAliasLookup() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            for index in 0..<30 {
                await harness.fake.seed(FakeAlert(alias: "teleport-access-request/r\(index)", message: "m", status: index % 3 == 0 ? "closed" : "open",
                                                          createdAt: start.addingTimeInterval(Double(index))))
            }
            let wanted = (0..<20).map { "teleport-access-request/r\($0)" } + ["teleport-access-request/unknown"]
            let found = try await harness.backend.openAlerts(aliases: wanted)
            #expect(Set(found.map(\.alias)) == Set((0..<20).filter { $0 % 3 != 0 }.map { "teleport-access-request/r\($0)" }))
            #expect(found.allSatisfy { $0.origin == .alias && $0.status == .open })
            let calls = await harness.fake.calls
            #expect(calls.count == 1, "one query for 21 aliases")
            let query = try #require(calls.first?.request.queryValue("query"))
            #expect(query.hasPrefix(#"status:open AND (alias:"teleport-access-request/r0" OR alias:"teleport-access-request/r1" OR"#))
        }
    }

    @Test("a search that matches tags loosely cannot hand the job another cluster's alert: the exact tags are checked")
    func exactTags() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.setLooseTagSearch(true)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            await harness.fake.seed(FakeAlert(alias: "teleport-access-request/a", message: "m", tags: ["access-reconciler", "teleport-cluster:prod"], createdAt: start))
            await harness.fake.seed(FakeAlert(alias: "teleport-access-request/b", message: "m", tags: ["access-reconciler", "teleport-cluster:prod-eu"], createdAt: start))
            await harness.fake.seed(FakeAlert(alias: "teleport-access-request/c", message: "m", tags: ["Access-Reconciler", "teleport-cluster:PROD"], createdAt: start))
            let listed = try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler", "teleport-cluster:prod"])
            #expect(listed.map(\.alias) == ["teleport-access-request/a"])
            let rawCount = await harness.fake.calls.compactMap(\.responseBody).first.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                .flatMap { ($0["data"] as? [Any])?.count }
            #expect(rawCount == 3, "the fake's search did match loosely")
        }
    }

    @Test("past the offset cap, listing continues by createdAt windows, alerts sharing a millisecond included")
    func offsetCap() async throws {
        try await OpsgenieHarness.with(offsetCap: 300) { harness async throws in
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            for index in 0..<750 {
                // Five alerts per millisecond, so windows start in the middle of a group.
                await harness.fake.seed(FakeAlert(alias: "teleport-access-request/r\(index)", message: "m", tags: ["access-reconciler"],
                                                          createdAt: start.addingTimeInterval(Double(index / 5) / 1000)))
            }
            let alerts = try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"])
            #expect(alerts.count == 750)
            #expect(Set(alerts.map(\.alias)).count == 750)
            let offsets = await harness.fake.calls.filter { $0.path == "/v2/alerts" }.compactMap { $0.request.queryValue("offset").flatMap(Int.init) }
            #expect(offsets.allSatisfy { $0 + 100 <= 300 }, "never asks beyond the cap")
        }
    }

    @Test("more alerts in one millisecond than the cap allows: the listing fails instead of returning part")
    func offsetCapExhausted() async throws {
        try await OpsgenieHarness.with(offsetCap: 200) { harness async throws in
            let created = Date(timeIntervalSince1970: 1_790_000_000)
            for index in 0..<250 {
                await harness.fake.seed(FakeAlert(alias: "a\(index)", message: "m", tags: ["access-reconciler"], createdAt: created))
            }
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"]) }
            guard case .incomplete? = error?.kind else { Issue.record("expected an incomplete listing, got \(String(describing: error))"); return }
        }
    }

    @Test("who is on call: by name or id, flat, read once per schedule")
    func onCall() async throws {
        try await OpsgenieHarness.with { harness async throws in
            let schedule = await harness.fake.addSchedule(name: "platform", recipients: ["alice@example.com", "bob@example.com"])
            #expect(try await harness.backend.onCallRecipients(schedule: "platform") == ["alice@example.com", "bob@example.com"])
            #expect(try await harness.backend.onCallRecipients(schedule: "platform") == ["alice@example.com", "bob@example.com"])
            #expect(try await harness.backend.onCallRecipients(schedule: schedule.id) == ["alice@example.com", "bob@example.com"])
            let calls = await harness.fake.calls.filter { $0.path.hasPrefix("/v2/schedules") }
            #expect(calls.count == 2)
            #expect(calls.map { $0.request.queryValue("scheduleIdentifierType") } == ["name", "id"])
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.onCallRecipients(schedule: "nobody") }
            #expect(error?.kind == .status(404))
        }
    }

    @Test("a wrong key: 401, not retried, with Opsgenie's message; the key appears nowhere")
    func unauthorized() async throws {
        let wrongKey = "wrong-" + UUID().uuidString
        try await OpsgenieHarness.with(clientKey: wrongKey) { harness async throws in
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.listOpenAlerts(taggedWith: ["access-reconciler"]) }
            #expect(error?.kind == .status(401))
            #expect(error?.description.contains("Could not authenticate") == true)
            #expect(error?.requestID != nil)
            #expect(error?.description.contains(wrongKey) == false)
            #expect(await harness.fake.calls.count == 1)
        }
    }

    @Test("a 422 names the alert and Opsgenie's field errors, and is not retried")
    func unprocessable() async throws {
        try await OpsgenieHarness.with { harness async throws in
            await harness.fake.script(.status(422))
            let error = await #expect(throws: OpsgenieError.self) { try await harness.backend.createAlert(OpsgenieHarness.draft("r1")) }
            #expect(error?.description.hasPrefix("Opsgenie: create alert teleport-access-request/r1 failed: HTTP 422") == true)
            #expect(await harness.fake.callCounts()["POST /v2/alerts"] == 1)
        }
    }
}
