import AccessReconciler
import Foundation
@testable import JSMClient
import ReconcilerTesting
import Testing

/// The read-only calls of `check` against the fake JSM Operations, each checked against the
/// project's description of the API by the harness.
@Suite("JSM client: check's read-only calls")
struct PreflightCallsTests {
    @Test("the listing probe sends the job's own query for one alert")
    func listingProbe() async throws {
        try await JSMHarness.with { harness in
            let tags = ["access-reconciler", "teleport-cluster:teleport.example.com"]
            #expect(await harness.client.probeListing(taggedWith: tags) == .accepted)
            let call = try #require(await harness.fake.calls.last)
            #expect(call.request.queryValue("query") == JSMAlertBackend.openAlertsQuery(taggedWith: tags))
            #expect(call.request.queryValue("size") == "1")
        }
    }

    @Test("on call with a hidden address: the account is named as unnamed, and the advice says whether the users file lists any")
    func hiddenAddress() async throws {
        try await JSMHarness.with(knownEmails: ["someone-else": "x@example.com"]) { harness in
            await harness.fake.addSchedule(name: "platform", onCall: ["alice@example.com", "bob@example.com"])
            let bob = await harness.fake.account(email: "bob@example.com", hidden: true).id
            let answers = await harness.client.onCallForCheck(schedules: ["platform"])
            #expect(answers.first?.recipients == ["alice@example.com"])
            #expect(answers.first?.unnamed == [bob])
            #expect(harness.client.hiddenAddressAdvice.hasPrefix("jsm.users_file lists 1 address(es), not these"))
            #expect(await harness.fake.calls.allSatisfy { $0.method == "GET" })
        }
    }

    @Test("the on-call list without a date is compared with the list for now: equal passes, another list fails naming the schedule")
    func onCallNow() async throws {
        try await JSMHarness.with { harness in
            await harness.fake.addSchedule(name: "platform", onCall: ["alice@example.com"])
            let same = await harness.client.assumptionLines(schedules: ["platform"], now: Date())
            #expect(same.map(\.status) == [.passed])
            let dates = await harness.fake.calls.compactMap { $0.request.queryValue("date") }
            #expect(dates.count == 1 && (try? Date.ISO8601FormatStyle().parse(dates[0])) != nil, "\(dates)")
        }
        // A fresh client, as each `check` has: the list without a date is read once per run.
        try await JSMHarness.with { harness in
            await harness.fake.addSchedule(name: "platform", onCall: ["alice@example.com"])
            await harness.fake.setOnCallWithoutDate(schedule: "platform", emails: ["bob@example.com"])
            let other = await harness.client.assumptionLines(schedules: ["platform"], now: Date())
            #expect(other.map(\.status) == [.failed])
            #expect(other.first?.summary.contains("platform (1 without a date, 1 for now)") == true, "\(String(describing: other.first))")
        }
    }
}
