import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// Auto-approval no broader than Teleport's own plugin, end to end over both fakes.
extension EndToEndTests {
    /// A world with one pending request of `user` for `roles`, `schedule` naming who is on call.
    func approvalWorld(user: String = "myuser@example.com", roles: [String] = ["editor"],
                       liveSchedules: [String] = ["teleport-access-alert-schedules"],
                       onCall: [String: [String]] = ["teleport-access-alert-schedules": ["MyUser@Example.com"]],
                       reviews: [AccessReview] = []) -> (Scenario, AccessRequest) {
        let now = Date()
        let request = AccessRequest(
            id: "0193a1b2-0000-7000-8000-0000000000c1", user: user, roles: roles, created: now.addingTimeInterval(-300),
            accessExpires: now.addingTimeInterval(3600), resourceExpires: now.addingTimeInterval(86_400),
            systemAnnotations: [RequestAnnotation.notifyServices: ["teleport-access-request-notifications"],
                                RequestAnnotation.teams: ["teleport-team"], RequestAnnotation.schedules: liveSchedules],
            reviews: reviews)
        return (Scenario(cluster: "teleport.example.com", now: now, requests: [request], onCall: onCall), request)
    }

    func reviews(_ sandbox: SandboxEnvironment, _ id: String) async -> [String] {
        await sandbox.teleport.state.request(id)?.reviews.map(\.author) ?? []
    }

    @Test("no second automated approval: a request that Teleport's approval bot approved once stays for a person", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func noSecondAutomatedApproval(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        let bot = AccessReview(author: "@teleport-access-approval-bot", proposedState: .approved, created: Date().addingTimeInterval(-60))
        let (world, request) = approvalWorld(reviews: [bot])
        try await withSandbox(scenario: world, backend: backend, grammar: grammar) { sandbox async throws in
            await sandbox.teleport.state.seed(sandbox.scenario.requests, thresholds: [(2, 1)])
            let report = try await run(.apply, sandbox)
            #expect(await sandbox.teleport.state.callCount("SubmitAccessReview") == 0)
            #expect(await sandbox.teleport.state.request(request.id)?.state == .pending)
            #expect(await reviews(sandbox, request.id) == ["@teleport-access-approval-bot"])
            #expect(report.finalPlan.findings.contains { $0.kind == .approvalWithheld && $0.message.contains("@teleport-access-approval-bot") })
        }
    }

    @Test("the request's own schedules annotation decides too: on call only in a schedule it does not name, no approval, and drift", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func scheduleIntersection(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        let (world, request) = approvalWorld(liveSchedules: ["another-schedule"])
        try await withSandbox(scenario: world, backend: backend, grammar: grammar) { sandbox async throws in
            let report = try await run(.apply, sandbox)
            #expect(await sandbox.teleport.state.callCount("SubmitAccessReview") == 0)
            #expect(await sandbox.teleport.state.request(request.id)?.state == .pending)
            let findings = report.finalPlan.findings
            #expect(findings.contains { $0.kind == .approvalWithheld && $0.message.contains("does not name teleport-access-alert-schedules") })
            #expect(findings.contains { $0.kind == .annotationDrift && $0.message.contains(RequestAnnotation.schedules) })
        }
    }

    @Test("the job's own user name with a '+' is used raw, so Teleport takes its review", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func reviewerWithPlus(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        let (world, request) = approvalWorld()
        try await withSandbox(scenario: world, backend: backend, grammar: grammar) { sandbox async throws in
            let identity = try sandbox.teleport.identityFile(user: "access-reconciler+ops@example.com")
            let report = try await run(.apply, sandbox, identityFile: identity)
            #expect(report.outcomes.contains { $0.action.kind == .approveRequest && $0.status == .done }, "\(TextReport.render(report))")
            #expect(await sandbox.teleport.state.request(request.id)?.state == .approved)
            #expect(await reviews(sandbox, request.id) == ["access-reconciler+ops@example.com"])
        }
    }

    @Test("by default the requester is its Teleport user name; the email trait counts only when chosen", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func requesterIdentity(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        // bob's manifest has the email trait Bob.Builder@example.com, who is on call in dba-oncall.
        var (world, request) = approvalWorld(user: "bob", roles: ["db-reader-payments"], liveSchedules: ["dba-oncall"],
                                             onCall: ["dba-oncall": ["bob.builder@example.com"]])
        world.users = ["bob": ["email": ["Bob.Builder@example.com"]]]
        try await withSandbox(scenario: world, backend: backend, grammar: grammar) { sandbox async throws in
            let byDefault = try await run(.apply, sandbox)
            #expect(await sandbox.teleport.state.callCount("SubmitAccessReview") == 0)
            #expect(byDefault.finalPlan.findings.contains { $0.kind == .identityUnknown && $0.requestID == request.id })
            var optIn = ReconcilerConfiguration()
            optIn.autoApproval.identity = .emailTrait
            _ = try await run(.apply, sandbox, configuration: optIn)
            #expect(await sandbox.teleport.state.request(request.id)?.state == .approved)
        }
    }

    /// Under email_trait, what Teleport says of bob, with the job's right to read users.
    enum LiveBob: String, CaseIterable, CustomTestStringConvertible {
        case sameAsManifest, movedOn, missing, unreadable
        var testDescription: String { rawValue }
    }

    @Test("email_trait: the trait of Teleport's live user decides over the manifest; where the job may not read users, the manifest counts and the report says so",
          arguments: LiveBob.allCases)
    func liveEmailTrait(_ live: LiveBob) async throws {
        // bob's manifest has the email trait Bob.Builder@example.com, who is on call in dba-oncall.
        var (world, request) = approvalWorld(user: "bob", roles: ["db-reader-payments"], liveSchedules: ["dba-oncall"],
                                             onCall: ["dba-oncall": ["bob.builder@example.com"]])
        switch live {
        case .sameAsManifest, .unreadable: world.users = ["bob": ["email": ["Bob.Builder@example.com"]]]
        case .movedOn: world.users = ["bob": ["email": ["bob@acquired.example"]]]
        case .missing: world.users = [:]
        }
        try await withSandbox(scenario: world) { sandbox async throws in
            if live == .unreadable { await sandbox.teleport.state.setUserReaders([]) }
            var configuration = ReconcilerConfiguration()
            configuration.autoApproval.identity = .emailTrait
            let report = try await run(.apply, sandbox, configuration: configuration)
            let state = await sandbox.teleport.state.request(request.id)?.state
            let findings = report.rounds.flatMap(\.plan.findings).filter { $0.requestID == request.id }
            #expect(await sandbox.teleport.state.calls.contains { $0.method == "GetUser" && $0.caller == SandboxEnvironment.jobUser })
            switch live {
            case .sameAsManifest:
                #expect(state == .approved)
                #expect(!findings.contains { $0.kind == .traitsFromManifests })
            case .movedOn:
                #expect(state == .pending, "the manifest's old address is not the requester any more")
                #expect(await sandbox.teleport.state.callCount("SubmitAccessReview") == 0)
            case .missing:
                #expect(state == .pending)
                #expect(findings.contains { $0.kind == .identityUnknown && $0.message.contains("Teleport has no user bob") }, "\(findings)")
            case .unreadable:
                #expect(state == .approved)
                #expect(findings.contains { $0.kind == .traitsFromManifests && $0.message.contains("PERMISSION_DENIED") }, "\(findings)")
                #expect(TextReport.render(report).contains("is on call in dba-oncall; the email trait is from the user manifest only: Teleport does not let the job read users"),
                        "the report says where the trait came from")
            }
        }
    }

    @Test("JSM: a team JSM does not know is a finding naming it; no alert is created, the on-call requester is still approved")
    func unknownTeam() async throws {
        let (world, request) = approvalWorld()
        try await withSandbox(scenario: world, backend: .jsm) { sandbox async throws in
            await sandbox.jsm.removeTeam(name: "teleport-team")
            let report = try await run(.apply, sandbox)
            let finding = try #require(report.rounds.first?.plan.findings.first { $0.kind == .responderUnknown }, "\(TextReport.render(report))")
            #expect(finding.requestID == request.id && finding.message.contains("no team named `teleport-team`"), "\(finding.message)")
            #expect(await sandbox.jsm.alerts.isEmpty, "no alert with a responder missing")
            #expect(await sandbox.teleport.state.request(request.id)?.state == .approved)
        }
    }
}

extension EndToEndTests {
    @Test("JSM: one on-call account hides its address; the visible requester is approved, the hidden one never, and the finding names the account", arguments: FakeQueryGrammar.allCases)
    func hiddenOnCallAccount(_ grammar: FakeQueryGrammar) async throws {
        let (base, visible) = approvalWorld(onCall: ["teleport-access-alert-schedules": ["MyUser@Example.com", "carol@example.com"]])
        var hiddenRequest = visible
        hiddenRequest.id = "0193a1b2-0000-7000-8000-0000000000c2"
        hiddenRequest.user = "carol@example.com"
        var world = base
        world.requests.append(hiddenRequest)
        try await withSandbox(scenario: world, backend: .jsm, grammar: grammar) { sandbox async throws in
            let carol = await sandbox.jsm.account(email: "carol@example.com", hidden: true)
            let report = try await run(.apply, sandbox)
            #expect(await sandbox.teleport.state.request(visible.id)?.state == .approved)
            #expect(await reviews(sandbox, visible.id) == ["access-reconciler"])
            #expect(await sandbox.teleport.state.request(hiddenRequest.id)?.state == .pending)
            #expect(await reviews(sandbox, hiddenRequest.id) == [])
            let unknown = report.finalPlan.findings.filter { $0.kind == .onCallUnknown }
            #expect(unknown.map(\.requestID) == [hiddenRequest.id])
            let finding = try #require(unknown.first)
            #expect(finding.message.contains(carol.id) && finding.message.contains("jsm.users_file"), "\(finding.message)")
            #expect(report.exitStatus(detailedExitCode: false) == .success, "\(TextReport.render(report))")
        }
    }
}

extension EndToEndTests {
    @Test("a review Teleport refuses (a role outside the job's review_requests) is recorded once: the run succeeds, other writes happen, later runs do not ask again", arguments: SandboxBackend.allCases)
    func refusedReview(_ backend: SandboxBackend) async throws {
        let (world, request) = approvalWorld()
        try await withSandbox(scenario: world, backend: backend) { sandbox async throws in
            await sandbox.teleport.state.setReviewableRoles(["dba"], for: SandboxEnvironment.jobUser)
            let first = try await run(.apply, sandbox)
            #expect(first.exitStatus(detailedExitCode: false) == .success, "\(TextReport.render(first))")
            let approval = try #require(first.outcomes.first { $0.action.kind == .approveRequest })
            #expect(approval.status == .skipped && approval.detail.contains("PERMISSION_DENIED"), "\(approval.detail)")
            #expect(first.outcomes.contains { $0.action.kind == .createAlert && $0.status == .done }, "the alert was still created")
            #expect(first.finalPlan.findings.contains { $0.kind == .approvalRefused && $0.requestID == request.id })
            #expect(await sandbox.teleport.state.callCount("SubmitAccessReview") == 1)

            let second = try await run(.apply, sandbox)
            #expect(second.exitStatus(detailedExitCode: false) == .success)
            #expect(second.outcomes.isEmpty)
            #expect(await sandbox.teleport.state.callCount("SubmitAccessReview") == 1, "not asked again")
            #expect(await sandbox.teleport.state.request(request.id)?.state == .pending)
        }
    }
}
