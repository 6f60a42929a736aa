import AccessReconciler
import Foundation
import OpsgenieClient
import ReconcilerTesting
import TeleportClient
import Testing

/// The job through its library entry point and the real clients, against the fake Teleport
/// (gRPC, mutual TLS) and a fake alert backend (HTTP) on loopback, seeded with the sandbox scenario;
/// each test runs against the fake Opsgenie and the fake JSM Operations.
@Suite("End to end against the fakes")
struct EndToEndTests {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func id(_ n: Int) -> String { "0193a1b2-0000-7000-8000-00000000000\(n)" }

    let scenario: Scenario
    let manifests: ManifestSet

    init() throws {
        scenario = try Scenario.load(path: Self.repositoryRoot + "/fixtures/sandbox/morning-after-outage.yaml")
        manifests = try ManifestLoader().load(path: Self.repositoryRoot + "/manifests")
    }

    /// Every backend under every reading of the search syntax: the suite runs against each.
    static let everyFake = SandboxBackend.allCases.flatMap { backend in FakeQueryGrammar.allCases.map { (backend, $0) } }

    /// Runs `body` against both fakes seeded with `scenario`, listings read with `grammar`;
    /// afterwards checks every exchange with the backend's fake against the project's description
    /// and stops the fakes, also on failure.
    func withSandbox(scenario: Scenario, backend: SandboxBackend = .opsgenie, grammar: FakeQueryGrammar = .documented,
                     opsgenieFaults: FakeServiceFaults = FakeServiceFaults(), sourceLocation: Testing.SourceLocation = #_sourceLocation,
                     _ body: (SandboxEnvironment) async throws -> Void) async throws {
        let sandbox = try await SandboxEnvironment.start(scenario: scenario, backend: backend, queryGrammar: grammar, opsgenieFaults: opsgenieFaults)
        await sandbox.addDirectory(of: manifests)
        try await withStopping(sandbox, stop: { sandbox in
            await Self.checkExchanges(sandbox, sourceLocation: sourceLocation)
            await sandbox.stop()
        }, body)
    }

    static let contracts = Dictionary(uniqueKeysWithValues: SandboxBackend.allCases.map { backend in
        (backend, Result { try OpenAPIConformance(descriptionAt: backend.contract) })
    })

    /// Every exchange with the backend's fake, against the project's description of its API.
    static func checkExchanges(_ sandbox: SandboxEnvironment, sourceLocation: Testing.SourceLocation) async {
        do {
            let contract = try contracts[sandbox.backend]!.get()
            let calls = await sandbox.alerting.calls
            let findings = try await OwnThread.run { contract.findings(for: calls) }
            #expect(findings.isEmpty, "exchanges not conforming to the \(sandbox.backend) description: \(findings.prefix(20))",
                    sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
    }

    /// One run with fresh clients, as one invocation of the command would make.
    /// With `identityFile`, the job runs as that identity's user and reviews as it, as the command
    /// does when no reviewer is configured.
    func run(_ mode: RunReport.Mode, _ sandbox: SandboxEnvironment, configuration: ReconcilerConfiguration = ReconcilerConfiguration(),
             manifests: ManifestSet? = nil, identityFile: String? = nil,
             retry: RetryPolicy? = nil) async throws -> RunReport {
        let clients = try await sandbox.clients(identityFile: identityFile, retry: retry)
        var configuration = configuration
        if identityFile != nil { configuration.autoApproval.reviewer = clients.teleport.reviewer }
        do {
            let report = try await Reconciler(configuration: sandbox.configuration(base: configuration), manifests: manifests ?? self.manifests,
                                              requests: clients.teleport, alerts: clients.alerts).run(mode)
            await clients.teleport.close()
            return report
        } catch {
            await clients.teleport.close()
            throw error
        }
    }

    /// Writes to the alert backend and to Teleport so far.
    func writes(_ sandbox: SandboxEnvironment) async -> (alerting: Int, teleport: Int) {
        let alerting = await sandbox.alerting.calls.filter { $0.method == "POST" }.count
        let teleport = await sandbox.teleport.state.callCount("SubmitAccessReview") + sandbox.teleport.state.callCount("UpdatePluginData")
        return (alerting, teleport)
    }

    @Test("plan writes nothing and --detailed-exitcode gives 2", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func planWritesNothing(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        try await withSandbox(scenario: scenario, backend: backend, grammar: grammar) { sandbox async throws in
            let report = try await run(.plan, sandbox)
            // JSM holds the scenario's alerts but no record of them: the job would record the
            // three it finds (og-2, og-6, og-7) besides the six writes both backends need.
            #expect(report.plan.actions.count == (backend == .opsgenie ? 6 : 9))
            #expect(report.exitStatus(detailedExitCode: true) == .drift)
            #expect(await writes(sandbox) == (0, 0))
        }
    }

    @Test("a fresh catch-up: alerts created, resolutions and expiry closed with notes, the on-call requester approved; a second apply writes nothing", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func catchUp(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        try await withSandbox(scenario: scenario, backend: backend, grammar: grammar) { sandbox async throws in
            let first = try await run(.apply, sandbox)
            #expect(first.exitStatus(detailedExitCode: false) == .success, "\(TextReport.render(first))")
            #expect(first.finalPlan.actions.isEmpty)

            let alerting = sandbox.alerting
            let resolved = try #require(await alerting.alert(alias: AlertAlias.forRequest(Self.id(3)), status: nil))
            #expect(resolved.status == "closed")
            #expect(resolved.notes == [
                "dba@example.com reviewed the request at \(AlertText.rfc822(sandbox.scenario.requests.first { $0.id == Self.id(3) }!.reviews[0].created)).\nResolution: APPROVED.\nReason: ok for the migration.",
                "lead@example.com reviewed the request at \(AlertText.rfc822(sandbox.scenario.requests.first { $0.id == Self.id(3) }!.reviews[1].created)).\nResolution: APPROVED.\nReason: looks fine.",
                "Access request has been approved\nReason: looks fine",
            ])
            let expired = try #require(await alerting.alert(alias: AlertAlias.forRequest(Self.id(4)), status: nil))
            #expect(expired.status == "closed" && expired.notes == ["Access request has been expired\n"])

            // The on-call requester (MyUser@Example.com in the schedule, myuser@example.com in Teleport, compared without letter case) was approved
            // by the job's identity; its new alert was then closed.
            let approved = try #require(await sandbox.teleport.state.request(Self.id(1)))
            #expect(approved.state == .approved)
            #expect(approved.reviews.map(\.author) == ["access-reconciler"])
            let created = try #require(await alerting.alert(alias: AlertAlias.forRequest(Self.id(1)), status: nil))
            #expect(created.tags.contains("access-reconciler") && created.tags.contains("teleport-cluster:teleport.example.com"))
            #expect(created.status == "closed")
            #expect(await sandbox.teleport.state.pluginData(Self.id(1))?[backend.pluginName]?["alert_id"] == created.id)

            // Not on call: left pending.
            #expect(await sandbox.teleport.state.request(Self.id(2))?.state == .pending)
            #expect(await sandbox.teleport.state.request(Self.id(6))?.state == .pending)

            let before = await writes(sandbox)
            let second = try await run(.apply, sandbox)
            #expect(second.plan.actions.isEmpty)
            #expect(await writes(sandbox) == before, "a second apply makes zero writes")
        }
    }

    @Test("a request Teleport's hosted plugin already alerted on gets no second alert", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func hostedPluginAlert(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        try await withSandbox(scenario: scenario, backend: backend, grammar: grammar) { sandbox async throws in
            _ = try await run(.apply, sandbox)
            let alerts = await sandbox.alerting.alerts.filter { $0.alias == AlertAlias.forRequest(Self.id(6)) }
            #expect(alerts.count == 1)
            #expect(alerts.first?.id == "og-6" && alerts.first?.count == 1 && alerts.first?.status == "open")
        }
    }

    @Test("Teleport unavailable: the run fails and nothing is written to the alert backend", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func teleportDown(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        try await withSandbox(scenario: scenario, backend: backend, grammar: grammar) { sandbox async throws in
            await sandbox.teleport.state.setDown(true)
            let error = await #expect(throws: TeleportError.self) { try await run(.apply, sandbox) }
            #expect(error?.description.contains("cannot be reached") == true)
            #expect(await writes(sandbox).alerting == 0)
            #expect(await sandbox.alerting.calls.isEmpty, "Teleport is asked first; the alert backend is not touched")
        }
    }

    @Test("an alert backend with 30% 503s and throttling answers: converges within three runs, every alert raised once", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func noisyBackend(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        try await withSandbox(scenario: scenario, backend: backend, grammar: grammar, opsgenieFaults: FakeServiceFaults(serverErrorRate: 0.3, seed: 7)) { sandbox async throws in
            // Throttling comes as scripted 429s (both bucket periods), not from a bucket counting
            // real seconds, so that the outcome does not depend on the machine's speed.
            await sandbox.alerting.script([.throttle(periodSeconds: 1), .throttle(periodSeconds: 60), .throttle(periodSeconds: 1)])
            var converged = false
            for _ in 1...3 where !converged {
                let report = try? await run(.apply, sandbox, retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100),
                                                                                 throttleUnit: .milliseconds(10)))
                converged = report?.exitStatus(detailedExitCode: false) == .success
            }
            #expect(converged)
            let statuses = await sandbox.alerting.calls.compactMap(\.status)
            #expect(statuses.contains(503))
            #expect(statuses.filter { $0 == 429 }.count == 3)
            #expect(await sandbox.alerting.alerts.allSatisfy { $0.count == 1 })
            #expect(await sandbox.alerting.alert(alias: AlertAlias.forRequest(Self.id(3)), status: nil)?.status == "closed")
        }
    }

    @Test("a throttled run slows that bucket down and says where its pace settled, in the text and the JSON report", arguments: SandboxBackend.allCases, FakeQueryGrammar.allCases)
    func throttledRunReportsPacing(_ backend: SandboxBackend, _ grammar: FakeQueryGrammar) async throws {
        try await withSandbox(scenario: scenario, backend: backend, grammar: grammar) { sandbox async throws in
            await sandbox.alerting.script([.throttle(periodSeconds: 60)])
            let report = try await run(.apply, sandbox, retry: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100),
                                                                           throttleUnit: .milliseconds(10)))
            #expect(report.exitStatus(detailedExitCode: false) == .success)
            let throttled = report.pacing.filter { $0.throttles > 0 }
            #expect(throttled.count == 1, "\(report.pacing)")
            let bucket = try #require(throttled.first)
            #expect(bucket.throttles == 1 && bucket.pace == bucket.ceiling, "after a throttle the pace does not rise again")
            let document = ReportDocument(report)
            #expect(document.pacing?.contains(bucket) == true)
            #expect(TextReport.render(report).contains("\(bucket.bucket) throttled 1 time(s), pace settled at"))
        }
    }
}
