import AccessReconciler
import Foundation
@testable import OpsgenieClient
import ReconcilerTesting
import Testing

/// The read-only calls of `check` against the fake Opsgenie, each checked against the project's
/// description of the API by the harness.
@Suite("Opsgenie client: check's read-only calls")
struct PreflightCallsTests {
    @Test("the listing probe sends the job's own query for one alert; a wrong key is refused (401)")
    func listingProbe() async throws {
        try await OpsgenieHarness.with { harness in
            let tags = ["access-reconciler", "teleport-cluster:teleport.example.com"]
            #expect(await harness.backend.probeListing(taggedWith: tags) == .accepted)
            let call = try #require(await harness.fake.calls.last)
            #expect(call.request.queryValue("query") == OpsgenieAlertBackend.openAlertsQuery(taggedWith: tags))
            #expect(call.request.queryValue("limit") == "1")
        }
        try await OpsgenieHarness.with(clientKey: "wrong") { harness in
            guard case let .refused(reason) = await harness.backend.probeListing(taggedWith: ["access-reconciler"]) else {
                Issue.record("a wrong key is refused")
                return
            }
            #expect(reason.contains("401") && !reason.contains("wrong"), "\(reason)")
        }
    }

    @Test("schedules and teams by name (and id): those Opsgenie answers 404 for are named; nothing is written")
    func responders() async throws {
        try await OpsgenieHarness.with { harness in
            let schedule = await harness.fake.addSchedule(name: "platform", recipients: [])
            await harness.fake.addTeam(name: "sre")
            let missing = try await harness.backend.invisibleResponders([
                Responder(kind: .schedule, value: "platform"), Responder(kind: .schedule, value: schedule.id),
                Responder(kind: .schedule, value: "gone"), Responder(kind: .team, value: "sre"), Responder(kind: .team, value: "nobody"),
            ])
            #expect(Set(missing.keys) == [Responder(kind: .schedule, value: "gone"), Responder(kind: .team, value: "nobody")])
            #expect(await harness.fake.calls.allSatisfy { $0.method == "GET" })
            let identifierTypes = await harness.fake.calls.compactMap { $0.request.queryValue("identifierType") }
            #expect(identifierTypes == ["name", "id", "name", "name", "name"])
        }
    }
}
