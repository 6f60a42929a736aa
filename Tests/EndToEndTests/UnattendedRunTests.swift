import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// The built tool as a CronJob runs it, against the fakes: a saved plan reviewed and applied with
/// a change in between, the metrics file and the Pushgateway, JSON log lines, `--version`.
@Suite("Unattended runs: saved plans, metrics, JSON logs")
struct UnattendedRunTests {
    static let morning = "fixtures/sandbox/morning-after-outage.yaml"
    static let approvedMeanwhile = "0193a1b2-0000-7000-8000-000000000001"
    static let newRequest = "0193a1b2-0000-7000-8000-0000000000aa"

    /// `plan`/`apply` against the sandbox, with the credential in the environment as a user gives it.
    static func run(_ command: [String], _ sandbox: SandboxEnvironment, folder: String, extra: [String] = []) async throws -> ChildRun {
        let settings = await sandbox.commandLine()
        let arguments = command + ["--manifests", TestRepository.root + "/manifests"] + settings.arguments
            + ["--lock-file", folder + "/apply.lock"] + extra
        let child = try ChildRun.start(arguments: arguments, environment: settings.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 },
                                       captureOutput: true)
        _ = await child.wait()
        return child
    }

    @Test("plan --out, a change in between, apply --plan: exactly the saved actions that still hold are made, the stale ones are reported, nothing new is added",
          arguments: SandboxBackend.allCases)
    func savedPlanApplied(backend: SandboxBackend) async throws {
        let scenario = try Scenario.load(path: TestRepository.root + "/" + Self.morning)
        try await withStopping(try await SandboxEnvironment.start(scenario: scenario, backend: backend), stop: { await $0.stop() }) { sandbox in
            await sandbox.addDirectory(of: try ManifestLoader().load(path: TestRepository.root + "/manifests"))
            let folder = try TestSupportPaths.temporaryDirectory()
            let planFile = folder + "/plan.json"
            let plan = try await Self.run(["plan", "--out", planFile], sandbox, folder: folder)
            #expect(plan.process.terminationStatus == 0, "\(plan.stderr)")
            let saved = try SavedPlan.read(path: planFile)
            #expect(saved.cluster == scenario.cluster)
            #expect(saved.alertBackend == backend)
            let savedKinds = saved.actions.map { "\($0.kind.rawValue) \($0.requestId.suffix(2))" }
            // (JSM also records the alerts that the plugin-data entry of its own name does not name yet.)
            #expect(Set(savedKinds).isSuperset(of: ["createAlert 01", "approveRequest 01", "addNote 03", "closeAlert 03", "closeAlert 04"]), "\(savedKinds)")

            // Between review and apply: a person approves request 01 (its create and approval are now
            // stale), and a new request comes in (its alert is not in the plan).
            var approved = try #require(await sandbox.teleport.state.request(Self.approvedMeanwhile))
            approved.state = .approved
            approved.resolveReason = "approved by hand"
            approved.reviews = [AccessReview(author: "lead@example.com", proposedState: .approved, reason: "ok", created: Date())]
            var fresh = approved
            fresh.id = Self.newRequest
            fresh.state = .pending
            fresh.reviews = []
            fresh.resolveReason = ""
            fresh.created = Date()
            await sandbox.teleport.state.seed([approved, fresh])
            await sandbox.alerting.clearCalls()

            let gateway = try await FakePushgateway.start()
            try await withStopping(gateway, stop: { await $0.stop() }) { gateway in
                let metricsFile = folder + "/metrics.prom"
                let apply = try await Self.run(["apply", "--plan", planFile, "--detailed-exitcode"], sandbox, folder: folder, extra: [
                    "--metrics-file", metricsFile, "--pushgateway-url", await gateway.baseURL.absoluteString,
                    "--log-format", "json", "--log-level", "debug",
                ])
                #expect(apply.process.terminationStatus == 2, "differences the plan did not hold remain; stderr: \(apply.stderr.suffix(600))")

                // Exactly the saved actions that still hold.
                let counts = await sandbox.alerting.callCounts()
                #expect(counts[backend.createEndpoint] == nil, "no alert created: the saved one is stale, the new request's is not in the plan")
                #expect(await sandbox.alerting.alert(alias: AlertAlias.forRequest(Self.newRequest), status: nil) == nil)
                #expect(await sandbox.teleport.state.request(Self.approvedMeanwhile)?.reviews.count == 1, "no second approval")
                let closed = await sandbox.alerting.alerts.filter { $0.status == "closed" }.compactMap { AlertAlias.requestID(from: $0.alias) }
                #expect(Set(closed.map { String($0.suffix(2)) }) == ["03", "04"])
                #expect(apply.stdout.contains("0 alert(s) created") || !apply.stdout.contains("alert(s) created"), "\(apply.stdout.suffix(500))")
                #expect(apply.stdout.contains("Saved plan \(planFile)"))
                #expect(apply.stdout.contains("2 stale, skipped"), "\(apply.stdout)")
                #expect(apply.stdout.contains("createAlert request \(Self.approvedMeanwhile)"))
                #expect(apply.stdout.contains("approveRequest request \(Self.approvedMeanwhile)"))

                // The metrics: a file Prometheus's text format accepts, and the same pushed.
                let families = try PrometheusTextParser.parse(try String(contentsOfFile: metricsFile, encoding: .utf8))
                #expect(families.value("access_reconciler_last_run_success") == 1)
                #expect(families.value("access_reconciler_writes", ["kind": "closeAlert", "outcome": "done"]) == 2)
                #expect(families.value("access_reconciler_writes", ["kind": "addNote", "outcome": "done"]) == 2)
                #expect(families.value("access_reconciler_writes", ["kind": "createAlert", "outcome": "done"]) == 0)
                #expect(families.value("access_reconciler_saved_plan_stale_actions") == 2)
                #expect(families.value("access_reconciler_pending_requests", ["cluster": scenario.cluster]) != nil)
                let closeCalls = families.first { $0.name == "access_reconciler_api_calls" }?.samples
                    .filter { $0.labels["backend"] == backend.rawValue && $0.labels["endpoint"]?.hasSuffix("/close") == true }
                #expect(closeCalls?.map(\.value).reduce(0, +) == 2, "two close calls counted by endpoint")
                let pushed = await gateway.group(["job": "access-reconciler", "cluster": scenario.cluster])
                #expect(pushed["access_reconciler_last_success_timestamp_seconds"] != nil)
                #expect(pushed["access_reconciler_writes"]?.samples.count == families.first { $0.name == "access_reconciler_writes" }?.samples.count)

                // The log: every line JSON, one run id, and no secret anywhere.
                let lines = apply.stderr.split(separator: "\n")
                #expect(!lines.isEmpty)
                var runIDs = Set<String>()
                for line in lines {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object?["level"] is String && object?["message"] is String, "\(line)")
                    runIDs.insert(object?["run_id"] as? String ?? "")
                    #expect(!line.contains(sandbox.apiKey.value), "the API key is in a log line")
                }
                #expect(runIDs.count == 1 && runIDs.first?.count == 8, "\(runIDs)")
                #expect(!apply.stdout.contains(sandbox.apiKey.value))
                #expect(!(try String(contentsOfFile: metricsFile, encoding: .utf8)).contains(sandbox.apiKey.value))
                #expect(!(try String(contentsOfFile: planFile, encoding: .utf8)).contains(sandbox.apiKey.value))
            }
        }
    }

    @Test("a failed run is counted as failed and keeps the last success time, in the file and at the Pushgateway")
    func failedRunKeepsLastSuccess() async throws {
        let scenario = try Scenario.load(path: TestRepository.root + "/" + Self.morning)
        try await withStopping(try await SandboxEnvironment.start(scenario: scenario), stop: { await $0.stop() }) { sandbox in
            let folder = try TestSupportPaths.temporaryDirectory()
            let gateway = try await FakePushgateway.start()
            try await withStopping(gateway, stop: { await $0.stop() }) { gateway in
                let metricsFile = folder + "/metrics.prom"
                let flags = ["--metrics-file", metricsFile, "--pushgateway-url", await gateway.baseURL.absoluteString, "--teleport-cluster", scenario.cluster]
                let first = try await Self.run(["plan"], sandbox, folder: folder, extra: flags)
                #expect(first.process.terminationStatus == 0, "\(first.stderr)")
                let success = try #require(try PrometheusTextParser.parse(String(contentsOfFile: metricsFile, encoding: .utf8))
                    .value("access_reconciler_last_success_timestamp_seconds"))

                // Teleport is down: the run fails.
                await sandbox.teleport.state.setDown(true)
                let failing = try await Self.run(["plan"], sandbox, folder: folder, extra: flags)
                #expect(failing.process.terminationStatus == 1)
                let after = try PrometheusTextParser.parse(String(contentsOfFile: metricsFile, encoding: .utf8))
                #expect(after.value("access_reconciler_last_run_success") == 0)
                #expect(after.value("access_reconciler_last_run_exit_code") == 1)
                #expect(after.value("access_reconciler_last_success_timestamp_seconds") == success)
                #expect(after.value("access_reconciler_last_run_timestamp_seconds", ["cluster": scenario.cluster])! > success)
                let group = await gateway.group(["job": "access-reconciler", "cluster": scenario.cluster])
                #expect(group["access_reconciler_last_run_success"]?.samples.first?.value == 0)
                #expect(group["access_reconciler_last_success_timestamp_seconds"]?.samples.first?.value == success,
                        "the failed push left the success time in place")
                #expect(await gateway.pushes.map(\.method) == ["POST", "POST"])
            }
        }
    }

    @Test("reconciler-sandbox --serve keeps the fakes running, prints a configuration that plan reaches them with, and cleans up on SIGINT")
    func sandboxServe() async throws {
        let serve = try ChildRun.start("reconciler-sandbox", arguments: ["--serve", "--scenario", TestRepository.root + "/" + Self.morning,
                                                   "--manifests", TestRepository.root + "/manifests"],
                                       environment: ["PATH": "/usr/bin:/bin"], captureOutput: true)
        var config: String?
        for _ in 0..<300 where config == nil {
            config = serve.stdout.split(separator: "\n").first { $0.hasPrefix("CONFIG ") }.map { String($0.dropFirst("CONFIG ".count)) }
            if config == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let path = try #require(config, "no CONFIG line: \(serve.stdout) \(serve.stderr)")
        let secret = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("api-key").path
        let attributes = try FileManager.default.attributesOfItem(atPath: secret)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the credential file is the owner's only")
        #expect(!serve.stdout.contains(try String(contentsOfFile: secret, encoding: .utf8)), "the credential is not printed")

        let plan = try ChildRun.start(arguments: ["plan", "--config", path, "--detailed-exitcode"], environment: ["PATH": "/usr/bin:/bin"],
                                      captureOutput: true)
        #expect(await plan.wait() == 2, "the morning after an outage has writes to plan: \(plan.stderr)")
        #expect(plan.stdout.contains("Plan: 1 alert(s) to create, 1 request(s) to approve"), "\(plan.stdout.suffix(300))")

        serve.signal(SIGINT)
        #expect(await serve.wait() == 0)
        #expect(!FileManager.default.fileExists(atPath: path), "the configuration folder is removed at the end")
        #expect(serve.stdout.hasSuffix("Sandbox stopped.\n"))
    }

    @Test("a reader that goes away (`reconciler-sandbox | head`) ends the output quietly: no crash, the run's own exit status")
    func readerGone() async throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let errURL = URL(fileURLWithPath: try TestSupportPaths.temporaryDirectory() + "/stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = try TestSupportPaths.executable("reconciler-sandbox")
        process.arguments = []
        process.standardOutput = pipe.fileHandleForWriting
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        #expect(process.terminationReason == .exit, "ended by signal \(process.terminationStatus); stderr: \(stderr.suffix(400))")
        #expect(process.terminationStatus == 0)
        #expect(!stderr.contains("Fatal error") && !stderr.contains("Backtrace"))
    }

    @Test("--version prints the version and the commit")
    func version() async throws {
        let child = try ChildRun.start(arguments: ["--version"], environment: [:], captureOutput: true)
        let status = await child.wait()
        #expect(status == 0)
        let line = child.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.range(of: #"^\d+\.\d+\.\d+ \(commit ([0-9a-f]{7,40}|unknown)\)$"#, options: .regularExpression) != nil, "\(line)")
    }
}
