import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// `access-reconciler check`, the built tool, against the sandbox's fakes: all ✓ as seeded, and
/// each seeded mistake gives exactly its own ✗ with a fix. Every run is read-only: neither fake
/// receives a write, and every exchange with the alert fake conforms to the project's description.
/// One at a time: two dozen processes of the tool starting at once starved the in-process gRPC
/// tests that run beside them (a 10 s call deadline passed in a full run on 2 cores).
@Suite("check: a read-only preflight against the fakes", .serialized)
struct CheckTests {
    static let morning = "fixtures/sandbox/morning-after-outage.yaml"

    /// One `check` in the JSON format, with the exit status; the checklist decoded.
    struct Outcome {
        var status: Int32
        var report: CheckReport
        var stderr: String

        var failed: [String] { report.failed.map(\.check) }

        func line(_ check: String) -> CheckLine? { report.lines.first { $0.check == check } }
    }

    /// The checks the sandbox cannot decide without a write.
    static let undecidable = ["alerting.write-permissions"]

    /// Runs `body` against fresh fakes seeded with the morning scenario and the repository's
    /// manifests; afterwards asserts that nothing was written to either fake.
    static func withSandbox(_ backend: SandboxBackend, sourceLocation: Testing.SourceLocation = #_sourceLocation,
                            _ body: (SandboxEnvironment, ManifestSet) async throws -> Void) async throws {
        let scenario = try Scenario.load(path: TestRepository.root + "/" + morning)
        let manifests = try ManifestLoader().load(path: TestRepository.root + "/manifests")
        let sandbox = try await SandboxEnvironment.start(scenario: scenario, backend: backend)
        await sandbox.addDirectory(of: manifests)
        try await withStopping(sandbox, stop: { sandbox in
            #expect(await sandbox.teleport.state.writeCalls().isEmpty, "check wrote to Teleport", sourceLocation: sourceLocation)
            for fake in [sandbox.opsgenie as any FakeAlertService, sandbox.jsm] {
                let writes = await fake.calls.filter { $0.method != "GET" }.map { "\($0.method) \($0.path)" }
                #expect(writes.isEmpty, "check wrote to an alert fake: \(writes)", sourceLocation: sourceLocation)
            }
            await EndToEndTests.checkExchanges(sandbox, sourceLocation: sourceLocation)
            await sandbox.stop()
        }) { sandbox in try await body(sandbox, manifests) }
    }

    static func check(_ sandbox: SandboxEnvironment, folder: String, extra: [String] = [], environment: [String: String]? = nil,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> Outcome {
        let settings = await sandbox.commandLine()
        let arguments = ["check", "--format", "json", "--manifests", TestRepository.root + "/manifests", "--lock-file", folder + "/run.lock"]
            + settings.arguments + extra
        let child = try ChildRun.start(arguments: arguments, environment: (environment ?? settings.environment).merging(["PATH": "/usr/bin:/bin"]) { $1 },
                                       captureOutput: true)
        let status = await child.wait()
        let report = try JSONDecoder().decode(CheckReport.self, from: Data(child.stdout.utf8))
        return Outcome(status: status, report: report, stderr: child.stderr)
    }

    @Test("as seeded, every line is ✓ but the write permissions, which need a write; exit 0, the text and JSON forms agree",
          arguments: SandboxBackend.allCases)
    func allPass(backend: SandboxBackend) async throws {
        try await Self.withSandbox(backend) { sandbox, _ in
            let folder = try TestSupportPaths.temporaryDirectory()
            let outcome = try await Self.check(sandbox, folder: folder)
            #expect(outcome.status == 0, "\(outcome.report.lines.filter { $0.status != .passed }) \(outcome.stderr)")
            #expect(outcome.failed.isEmpty)
            #expect(outcome.report.lines.filter { $0.status == .undecided }.map(\.check) == Self.undecidable)
            #expect(outcome.line("alerting.write-permissions")?.fix?.isEmpty == false, "the ? says how to check by hand")
            for check in ["teleport.connection", "teleport.identity", "teleport.list-requests", "teleport.read-plugin-data", "teleport.roles",
                          "teleport.update-plugin-data", "teleport.review", "alerting.credentials", "alerting.listing-query",
                          "alerting.responders", "alerting.on-call", "job.lock", "job.deadline", "job.saved-plan"] {
                #expect(outcome.line(check)?.status == .passed, "\(check): \(String(describing: outcome.line(check)))")
            }
            #expect(outcome.line("teleport.connection")?.summary.contains("cluster teleport.example.com") == true)
            #expect(outcome.line("teleport.identity")?.summary.contains("user access-reconciler") == true)
            #expect(outcome.line("teleport.identity")?.warning == nil, "4 hours left: no warning")
            #expect(outcome.line("alerting.hidden-addresses").map { $0.status == .passed } ?? (backend == .opsgenie),
                    "JSM says whether everyone on call can be named; Opsgenie names them by address")

            let settings = await sandbox.commandLine()
            let text = try ChildRun.start(arguments: ["check", "--manifests", TestRepository.root + "/manifests", "--lock-file", folder + "/run.lock"]
                                              + settings.arguments,
                                          environment: settings.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }, captureOutput: true)
            #expect(await text.wait() == 0)
            #expect(text.stdout.contains("✓ may list access requests"))
            #expect(text.stdout.contains("? may create, note and close alerts"))
            #expect(text.stdout.hasSuffix("Ready: nothing failed (\(outcome.report.lines.count - 1) ✓, 0 ✗, 1 ?).\n"), "\(text.stdout.suffix(200))")
            #expect(!text.stdout.contains(sandbox.apiKey.value) && !outcome.report.lines.contains { $0.summary.contains(sandbox.apiKey.value) },
                    "the credential is never printed")
        }
    }

    /// Each mistake the sandbox can seed, and the one check it must fail.
    static let mistakes: [(SandboxMisconfiguration, SandboxBackend, String)] = [
        (.missingSchedule, .opsgenie, "alerting.responders"), (.missingSchedule, .jsm, "alerting.responders"),
        (.unreviewableRole, .opsgenie, "teleport.review"), (.unreviewableRole, .jsm, "teleport.review"),
        (.hiddenEmail, .jsm, "alerting.hidden-addresses"),
        (.noRequestListing, .opsgenie, "teleport.list-requests"), (.noRequestListing, .jsm, "teleport.list-requests"),
    ]

    @Test("each seeded mistake gives exactly its own ✗, with a fix that names what to change; exit 1", arguments: mistakes)
    func seededMistake(mistake: SandboxMisconfiguration, backend: SandboxBackend, expected: String) async throws {
        try await Self.withSandbox(backend) { sandbox, manifests in
            let seeded = try await mistake.apply(to: sandbox, manifests: manifests)
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.status == 1)
            #expect(outcome.failed == [expected], "seeded: \(seeded)")
            let line = try #require(outcome.line(expected))
            #expect(line.fix?.isEmpty == false)
            switch mistake {
            case .missingSchedule:
                #expect(line.summary.contains("schedule teleport-access-request-notifications (routed from editor)"), "\(line.summary)")
            case .unreviewableRole:
                #expect(line.summary.contains("may not review db-reader-payments"), "\(line.summary)")
                #expect(line.fix?.contains("review_requests.roles") == true)
            case .hiddenEmail:
                let account = await sandbox.jsm.account(email: "dba@example.com").id
                #expect(line.summary.contains("dba-oncall: \(account)"), "\(line.summary)")
                #expect(line.fix?.contains("jsm.users_file") == true)
            case .noRequestListing:
                #expect(line.summary.contains("PERMISSION_DENIED"), "\(line.summary)")
            }
        }
    }

    @Test("a refused key: the credentials line is ✗ and what depends on it is ?, not a second ✗", arguments: SandboxBackend.allCases)
    func refusedCredentials(backend: SandboxBackend) async throws {
        try await Self.withSandbox(backend) { sandbox, _ in
            let settings = await sandbox.commandLine()
            let wrong = settings.environment.mapValues { _ in "not-the-key" }
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory(), environment: wrong)
            #expect(outcome.status == 1)
            #expect(outcome.failed == ["alerting.credentials"])
            #expect(outcome.line("alerting.credentials")?.summary.contains("401") == true, "\(String(describing: outcome.line("alerting.credentials")))")
            #expect(outcome.line("alerting.responders")?.status == .undecided)
            #expect(!outcome.report.lines.contains { $0.summary.contains("not-the-key") || ($0.fix ?? "").contains("not-the-key") })
        }
    }

    @Test("plugin data the role may not read: its own ✗")
    func pluginDataDenied() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            await sandbox.teleport.state.deny("GetPluginData", resource: "access_plugin_data")
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["teleport.read-plugin-data"])
        }
    }

    @Test("a role without the plugin-data rule: update-plugin-data is ✗ from the role the cluster serves, not from the manifests")
    func pluginDataRuleMissing() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, manifests in
            var role = try #require(manifests.roles[SandboxEnvironment.jobUser])
            role.allowRules.removeAll { $0.resources.contains("access_plugin_data") }
            await sandbox.teleport.state.seedRoles([role])
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["teleport.update-plugin-data"])
        }
    }

    @Test("Teleport not reachable: the connection is ✗, the checks that need an answer are ?, the alert service is still checked")
    func teleportUnreachable() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            await sandbox.teleport.state.setDown(true)
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["teleport.connection"])
            for check in ["teleport.list-requests", "teleport.read-plugin-data", "teleport.review"] {
                #expect(outcome.line(check)?.status == .undecided, "\(check)")
            }
            #expect(outcome.line("alerting.credentials")?.status == .passed)
        }
    }

    @Test("an identity that expires within the hour: ✓ with a warning to renew it")
    func identityAboutToExpire() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            let identity = try sandbox.teleport.identityFile(user: SandboxEnvironment.jobUser, validFor: 20 * 60)
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory(), extra: ["--teleport-identity", identity])
            #expect(outcome.failed.isEmpty)
            #expect(outcome.line("teleport.identity")?.warning?.contains("Machine ID") == true)
        }
    }

    @Test("a run lock held by another run, a metrics folder that does not exist, a timeout below one call, plans that expire before a run ends: each its ✗")
    func jobSettings() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            let folder = try TestSupportPaths.temporaryDirectory()
            let held = try RunLock(path: folder + "/run.lock", runID: "other-run")
            let locked = try await Self.check(sandbox, folder: folder)
            #expect(locked.failed == ["job.lock"])
            #expect(locked.line("job.lock")?.summary.contains("other-run") == true, "\(String(describing: locked.line("job.lock")))")
            withExtendedLifetime(held) {}

            let other = try TestSupportPaths.temporaryDirectory()
            let settings = try await Self.check(sandbox, folder: other, extra: [
                "--metrics-file", other + "/missing/metrics.prom", "--timeout", "20s",
            ])
            #expect(settings.failed == ["job.metrics-file", "job.deadline"])
            let plans = try await Self.check(sandbox, folder: other, extra: ["--plan-max-age", "5m"])
            #expect(plans.failed == ["job.saved-plan"])
        }
    }

    @Test("JSM: a site whose on-call list without a date is another time's fails the assumption the job rests on, and nothing else")
    func onCallWithoutDate() async throws {
        try await Self.withSandbox(.jsm) { sandbox, _ in
            await sandbox.jsm.setOnCallWithoutDate(schedule: "dba-oncall", emails: ["someone@example.com"])
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["alerting.on-call-now"])
            #expect(outcome.line("alerting.on-call-now")?.summary.contains("dba-oncall") == true)
        }
    }

    @Test("a server older than the job supports: the connection is ✗ with the version")
    func oldServer() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            await sandbox.teleport.state.setServerVersion("12.4.1")
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["teleport.connection"])
            #expect(outcome.line("teleport.connection")?.summary.contains("Teleport 12.4.1 is older than 13.0.0") == true)
        }
    }

    @Test("an expired identity: its line is ✗ naming the file, Teleport's other checks are ?, the alert service is still checked")
    func expiredIdentity() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            let expired = try sandbox.teleport.identityFile(user: SandboxEnvironment.jobUser, validFor: 60, notBefore: Date().addingTimeInterval(-7200))
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory(), extra: ["--teleport-identity", expired])
            #expect(outcome.failed == ["teleport.identity"])
            #expect(outcome.line("teleport.identity")?.summary.contains(expired) == true)
            #expect(outcome.line("teleport.review")?.status == .undecided)
            #expect(outcome.line("alerting.credentials")?.status == .passed)
        }
    }

    @Test("a held role the cluster has no definition of: the roles line is ?, and the manifests' definition is used and said so")
    func roleNotInCluster() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            let identity = try sandbox.teleport.identityFile(user: SandboxEnvironment.jobUser, roles: [SandboxEnvironment.jobUser, "unknown-role"])
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory(), extra: ["--teleport-identity", identity])
            #expect(outcome.failed.isEmpty)
            let roles = try #require(outcome.line("teleport.roles"))
            #expect(roles.status == .undecided)
            #expect(roles.summary.contains("unknown-role: the cluster has no such role"), "\(roles.summary)")
            #expect(outcome.line("teleport.review")?.status == .undecided, "the unread role might allow or deny more: only ?")
        }
    }

    @Test("the service refuses the job's listing query (422): the listing line is ✗, the key is accepted")
    func listingQueryRefused() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            await sandbox.opsgenie.script(.status(422))
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["alerting.listing-query"])
            #expect(outcome.line("alerting.credentials")?.status == .passed)
        }
    }

    @Test("email_trait: reading users is checked from the job's rules; without the rule it is ✗")
    func readUsers() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            let folder = try TestSupportPaths.temporaryDirectory()
            let outcome = try await Self.check(sandbox, folder: folder, extra: ["--auto-approve-identity", "email_trait"])
            #expect(outcome.failed == ["teleport.read-users"])
            #expect(outcome.line("teleport.read-users")?.fix?.contains("resources: [user], verbs: [read]") == true)
            var role = try #require(try ManifestLoader().load(path: TestRepository.root + "/manifests").roles[SandboxEnvironment.jobUser])
            role.allowRules.append(ResourceRule(resources: ["user"], verbs: ["read"]))
            await sandbox.teleport.state.seedRoles([role])
            #expect(try await Self.check(sandbox, folder: folder, extra: ["--auto-approve-identity", "email_trait"]).failed.isEmpty)
        }
    }

    @Test("an auto-approval schedule whose on-call list the key may not read: the on-call line is ✗ naming it")
    func onCallUnreadable() async throws {
        try await Self.withSandbox(.opsgenie) { sandbox, _ in
            await sandbox.opsgenie.forbidOnCall(schedule: "dba-oncall")
            let outcome = try await Self.check(sandbox, folder: try TestSupportPaths.temporaryDirectory())
            #expect(outcome.failed == ["alerting.on-call"])
            #expect(outcome.line("alerting.on-call")?.summary.contains("dba-oncall: ") == true, "\(String(describing: outcome.line("alerting.on-call")))")
        }
    }
}
