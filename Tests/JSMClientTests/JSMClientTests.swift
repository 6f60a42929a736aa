import AccessReconciler
import Foundation
import HTTPSupport
@testable import JSMClient
import ReconcilerTesting
import Testing

@Suite("JSM Operations client")
struct JSMClientTests {
    @Test("create: names resolved to ids once per run, a UUID passed through, Basic authentication, the alert found again by tag and alias")
    func createAndList() async throws {
        try await JSMHarness.with { harness async throws in
            let schedule = await harness.fake.addSchedule(name: "dba-oncall", onCall: []).id
            let team = await harness.fake.addTeam(name: "payments-team")
            let other = await harness.fake.addTeam(name: "other-team")
            let first = try await harness.client.createAlert(JSMHarness.draft("r1", responders: [
                Responder(kind: .schedule, value: "dba-oncall"), Responder(kind: .team, value: "Payments-Team"), Responder(kind: .team, value: other),
            ]))
            _ = try await harness.client.createAlert(JSMHarness.draft("r2", responders: [Responder(kind: .schedule, value: "dba-oncall")]))
            let stored = try #require(await harness.fake.alert(alias: AlertAlias.forRequest("r1")))
            #expect(stored.id == first)
            #expect(stored.responders == [["id": schedule, "type": "schedule"], ["id": team, "type": "team"], ["id": other, "type": "team"]])
            let counts = await harness.fake.callCounts()
            #expect(counts["GET /v1/schedules"] == 1 && counts["GET /v1/teams"] == 1, "each name looked up once: \(counts)")
            #expect(await harness.fake.calls.allSatisfy(\.authorized))
            #expect(try await harness.client.listOpenAlerts(taggedWith: ["access-reconciler", "teleport-cluster:c"]).map(\.id).contains(first))
            #expect(try await harness.client.openAlerts(aliases: [AlertAlias.forRequest("r1")]).map(\.id) == [first])
        }
    }

    @Test("a responder name JSM does not know: no alert is created, and the error names it")
    func unknownResponder() async throws {
        try await JSMHarness.with { harness async throws in
            await harness.fake.addTeam(name: "payments-team")
            let error = await #expect(throws: JSMNameError.self) {
                try await harness.client.createAlert(JSMHarness.draft(responders: [Responder(kind: .team, value: "payments-team"),
                                                                                   Responder(kind: .schedule, value: "no-such-schedule")]))
            }
            #expect(error?.description.contains("no schedule named `no-such-schedule`") == true)
            #expect(await harness.fake.alerts.isEmpty)
            #expect(await harness.fake.callCounts()["POST /v1/alerts"] == nil)
        }
    }

    @Test("acked and snoozed alerts are open; resolved and closed are done, and the job never touches them")
    func statuses() async throws {
        try await JSMHarness.with { harness async throws in
            var ids: [String: String] = [:]
            for status in ["open", "acked", "snoozed", "resolved", "closed"] {
                let id = try await harness.client.createAlert(JSMHarness.draft(status))
                await harness.fake.setStatus(status, alertID: id)
                ids[status] = id
            }
            let open = try await harness.client.openAlerts(aliases: ["open", "acked", "snoozed", "resolved", "closed"].map(AlertAlias.forRequest))
            #expect(Set(open.map(\.id)) == Set([ids["open"]!, ids["acked"]!, ids["snoozed"]!]))
            await harness.fake.clearCalls()
            #expect(try await harness.client.closeAlert(alertID: ids["resolved"]!, note: "Access request has been approved\n") == false)
            #expect(await harness.fake.calls.allSatisfy { $0.method == "GET" }, "a resolved alert gets no note and no close")
            #expect(try await harness.client.closeAlert(alertID: ids["acked"]!, note: "Access request has been approved\n"))
            #expect(await harness.fake.alert(alias: AlertAlias.forRequest("acked"))?.status == "closed")
        }
    }

    @Test("close: the resolution note first (close takes no body), and never twice when a run stopped between the two")
    func closeWithNote() async throws {
        try await JSMHarness.with { harness async throws in
            let id = try await harness.client.createAlert(JSMHarness.draft())
            try await harness.client.addNote(alertID: id, note: "Access request has been denied\nReason: no")
            #expect(try await harness.client.closeAlert(alertID: id, note: "Access request has been denied\nReason: no"))
            let alert = try #require(await harness.fake.alert(alias: AlertAlias.forRequest("r1")))
            #expect(alert.status == "closed" && alert.notes == ["Access request has been denied\nReason: no"])
            let close = try #require(await harness.fake.calls.first { $0.path.hasSuffix("/close") })
            #expect(close.request.body.isEmpty)
        }
    }

    @Test("on call: account ids to e-mail addresses by the user API, in bulk and once; a hidden address makes the lookup fail; the users file fills it")
    func onCall() async throws {
        try await JSMHarness.with { harness async throws in
            await harness.fake.addSchedule(name: "primary", onCall: ["alice@example.com", "Bob@Example.com"])
            #expect(try await harness.client.onCallRecipients(schedule: "primary").sorted() == ["Bob@Example.com", "alice@example.com"])
            _ = try await harness.client.onCallRecipients(schedule: "primary")
            #expect(await harness.fake.callCounts()["GET /rest/api/3/user/bulk"] == 1)

            let hidden = await harness.fake.account(email: "carol@example.com", hidden: true)
            await harness.fake.addSchedule(name: "secondary", onCall: ["alice@example.com", "carol@example.com"])
            let error = await #expect(throws: APIError.self) { try await harness.client.onCallRecipients(schedule: "secondary") }
            #expect(error?.description.contains("no e-mail address for account(s) \(hidden.id)") == true)
        }
        let carol = FakeJSM.accountID(for: "carol@example.com")
        try await JSMHarness.with(knownEmails: [carol: "carol@example.com"], siteURL: false) { harness async throws in
            await harness.fake.account(email: "carol@example.com", hidden: true)
            await harness.fake.addSchedule(name: "secondary", onCall: ["carol@example.com"])
            #expect(try await harness.client.onCallRecipients(schedule: "secondary") == ["carol@example.com"])
            #expect(await harness.fake.callCounts()["GET /rest/api/3/user/bulk"] == nil, "the users file named everyone")
        }
    }

    @Test("on call in many schedules: one user-API call for everyone; an account with a hidden address is named as unnamed, and the visible ones are kept")
    func onCallBatched() async throws {
        try await JSMHarness.with { harness async throws in
            let hidden = await harness.fake.account(email: "carol@example.com", hidden: true)
            await harness.fake.addSchedule(name: "primary", onCall: ["alice@example.com"])
            await harness.fake.addSchedule(name: "secondary", onCall: ["bob@example.com", "carol@example.com"])
            await harness.fake.addSchedule(name: "tertiary", onCall: ["carol@example.com"])
            let answers = await harness.client.onCallRecipients(schedules: ["primary", "secondary", "tertiary", "missing"])
            let bySchedule = Dictionary(uniqueKeysWithValues: answers.map { ($0.schedule, $0) })
            #expect(bySchedule["primary"]?.recipients == ["alice@example.com"] && bySchedule["primary"]?.unnamed == [])
            #expect(bySchedule["secondary"]?.recipients == ["bob@example.com"] && bySchedule["secondary"]?.unnamed == [hidden.id],
                    "the visible account is kept beside the hidden one")
            #expect(bySchedule["tertiary"]?.recipients == [] && bySchedule["tertiary"]?.unnamed == [hidden.id])
            #expect(bySchedule["secondary"]?.unnamedReason?.contains("jsm.users_file") == true)
            #expect(bySchedule["missing"]?.recipients == nil && bySchedule["missing"]?.failure != nil, "an unknown schedule fails")
            #expect(await harness.fake.callCounts()["GET /rest/api/3/user/bulk"] == 1)
        }
    }

    @Test("listings send only documented search terms: the documented fake refuses status:acked, the client still finds acked and snoozed alerts", arguments: FakeQueryGrammar.allCases)
    func documentedQueries(_ grammar: FakeQueryGrammar) async throws {
        try await JSMHarness.with(grammar: grammar) { harness async throws in
            var ids: [String: String] = [:]
            for status in ["open", "acked", "snoozed", "resolved", "closed"] {
                let id = try await harness.client.createAlert(JSMHarness.draft(status))
                await harness.fake.setStatus(status, alertID: id)
                ids[status] = id
            }
            let listed = try await harness.client.listOpenAlerts(taggedWith: ["access-reconciler", "teleport-cluster:c"])
            #expect(Set(listed.map(\.id)) == Set([ids["open"]!, ids["acked"]!, ids["snoozed"]!]))
            let queries = await harness.fake.calls.filter { $0.path.hasSuffix("/v1/alerts") && $0.method == "GET" }.compactMap { $0.request.queryValue("query") }
            #expect(!queries.isEmpty && queries.allSatisfy { !$0.contains("acked") && !$0.contains("snoozed") }, "\(queries)")

            // The same listing with the terms the client sent before: refused by the documented reading.
            let old = try await harness.get("/v1/alerts", query: ["query": "tag:\"access-reconciler\" AND (status:open OR status:acked OR status:snoozed)"])
            #expect(old == (grammar == .documented ? 422 : 200))
            #expect(try await harness.get("/v1/alerts", query: ["query": "NOT status:closed AND tag:\"access-reconciler\""]) == 200)
            #expect(try await harness.get("/v1/alerts", query: ["query": "tags:\"access-reconciler\""]) == (grammar == .documented ? 422 : 200))
            #expect(try await harness.get("/v1/alerts", query: ["query": "createdAt>=1"]) == (grammar == .documented ? 422 : 200))
        }
    }

    @Test("the other reading of each silent point: hidden address as null, empty or left out; a pending status of 200 without an outcome; pages told by links or count alone; short user pages; a wide schedule search", arguments: FakeJSMReadings.HiddenAddress.allCases, FakeJSMReadings.Paging.allCases)
    func otherReadings(_ hidden: FakeJSMReadings.HiddenAddress, _ paging: FakeJSMReadings.Paging) async throws {
        try await JSMHarness.with { harness async throws in
            var readings = FakeJSMReadings.alternative
            readings.hiddenAddress = hidden
            readings.paging = paging
            await harness.fake.setReadings(readings)
            await harness.fake.setStatusDelayPolls(2)
            let id = try await harness.client.createAlert(JSMHarness.draft("r0"))
            #expect(await harness.fake.alerts.map(\.id) == [id], "the create waited through the pending answers and was sent once")

            // 150 open alerts: two pages, the second told by `links.next`, the total count, or both.
            for n in 1...149 {
                await harness.fake.seed(FakeAlert(alias: AlertAlias.forRequest("s\(n)"), message: "m", tags: ["access-reconciler", "teleport-cluster:c"],
                                                          createdAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(n))))
            }
            #expect(try await harness.client.listOpenAlerts(taggedWith: ["access-reconciler", "teleport-cluster:c"]).count == 150)

            // Five people on call, one hidden; the site answers two users a page. Its schedule
            // search matches any name containing the text: "primary" is on the second page.
            for n in 1...60 { await harness.fake.addSchedule(name: "a-primary-\(n)", onCall: []) }
            let people = ["a", "b", "c", "d"].map { "\($0)@example.com" }
            let secret = await harness.fake.account(email: "e@example.com", hidden: true)
            await harness.fake.addSchedule(name: "primary", onCall: people + ["e@example.com"])
            let answer = try #require(await harness.client.onCallRecipients(schedules: ["primary"]).first)
            #expect(answer.recipients?.sorted() == people)
            #expect(answer.unnamed == [secret.id])
        }
    }

    @Test("a create whose answer was lost is looked up by alias, not sent again; a 429 waits for Retry-After")
    func lostAnswerAndThrottle() async throws {
        try await JSMHarness.with { harness async throws in
            await harness.fake.script(.dropAfterProcessing)
            let id = try await harness.client.createAlert(JSMHarness.draft())
            let alerts = await harness.fake.alerts
            #expect(alerts.count == 1 && alerts.first?.id == id && alerts.first?.count == 1)
            await harness.fake.script(.throttle(periodSeconds: 2))
            #expect(try await harness.client.openAlerts(aliases: [AlertAlias.forRequest("r1")]).count == 1)
            let statuses = await harness.fake.calls.compactMap(\.status)
            #expect(statuses.filter { $0 == 429 }.count == 1)
        }
    }

    @Test("the cloud id is learnt from the site; a wrong token fails with 401 and the token is never in the error")
    func cloudIDAndCredentials() async throws {
        try await JSMHarness.with { harness async throws in
            #expect(try await JSMSettings.cloudID(site: await harness.fake.baseURL) == harness.fake.cloudID)
            let url = await harness.fake.baseURL
            let wrong = JSMAlertBackend(configuration: JSMConfiguration(apiURL: url, cloudID: harness.fake.cloudID, siteURL: url,
                                                                        user: "bot@example.com", apiToken: Secret("not-the-token")))
            let error = await #expect(throws: APIError.self) { try await wrong.listOpenAlerts(taggedWith: ["x"]) }
            #expect(error?.kind == .status(401))
            #expect(error.map { !"\($0)".contains("not-the-token") && !"\($0)".contains(harness.token) } == true)
        }
    }
}

@Suite("JSM settings")
struct JSMSettingsTests {
    static func folder(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jsm-settings-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    @Test("the client's configuration: the token from its file, the cloud id from the site, e-mail addresses from the users file")
    func configuration() async throws {
        try await JSMHarness.with { harness async throws in
            let folder = try Self.folder(["token": "\(harness.token)\n", "users.yaml": "5b0001: alice@example.com\n5b0002: bob@example.com\n"])
            var settings = JSMSettings()
            settings.siteURL = await harness.fake.baseURL
            settings.apiURL = await harness.fake.baseURL
            settings.user = "bot@example.com"
            settings.apiTokenFile = folder + "/token"
            settings.usersFile = folder + "/users.yaml"
            let configuration = try await settings.configuration()
            #expect(configuration.cloudID == harness.fake.cloudID)
            #expect(configuration.apiToken.value == harness.token)
            #expect(configuration.knownEmails == ["5b0001": "alice@example.com", "5b0002": "bob@example.com"])
        }
    }

    @Test("a users file entry that is not an e-mail address is an error naming the file and line")
    func badUsersFile() throws {
        let folder = try Self.folder(["users.yaml": "5b0001: alice@example.com\n5b0002: bob\n"])
        let error = #expect(throws: (any Error).self) { try JSMUsersFile.read(path: folder + "/users.yaml") }
        #expect(error.map { "\($0)".contains("users.yaml:2:9") && "\($0)".contains("expected an e-mail address") } == true, "\(String(describing: error))")
    }
}
