import AccessReconciler
import ArgumentParser
import Foundation
import ReconcilerTesting

/// `reconciler-bench`: what a run costs as the work grows. For each size it seeds the fakes with a
/// morning after an outage, runs the real `access-reconciler apply` binary as a catch-up and again
/// with nothing to do, and prints one row per run: wall time against what the latency allows, API
/// calls against the minimum the work needs, and the job's peak memory. Then it times the planner
/// alone.
@main
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler-bench",
        abstract: "Measure a catch-up and a steady-state run against the fakes, and the planner alone."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Numbers of access requests.")
    var sizes: [Int] = [100, 1_000, 10_000]

    @Option(name: .long, parsing: .upToNextOption, help: "Alert backends to measure: opsgenie, jsm.")
    var alertBackends: [SandboxBackend] = SandboxBackend.allCases

    @Option(name: .long, help: "Latency of every API call, in milliseconds.")
    var latencyMs = 20

    @Option(name: .long, help: "Requests in flight at once (alert client and writes).")
    var concurrency = 8

    @Option(name: .long, help: "Requests for the planner-alone timing (0 to skip).")
    var plannerRequests = 100_000

    @Flag(name: .long, help: "Time the planner only.")
    var plannerOnly = false

    @Option(name: .long, help: ArgumentHelp("Run the job under this program (e.g. /usr/bin/heaptrack) to profile it; timings then include the profiler.", valueName: "path"))
    var childWrapper: String?

    func run() async throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("access-reconciler").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("build the job first: swift build -c release --product access-reconciler (looked for \(binary))")
        }
        print("access-reconciler benchmark: latency \(latencyMs) ms per call, concurrency \(concurrency), \(GeneratedWorkload.scheduleCount) schedules")
        print("")
        print(BenchmarkRow.header)
        var notes: [String] = []
        for backend in plannerOnly ? [] : alertBackends {
            for size in sizes {
                let rows = try await measure(size: size, backend: backend, binary: binary)
                for row in rows {
                    print(row.line)
                    notes += row.notes
                }
            }
        }
        print("")
        for note in notes { print(note) }
        if plannerRequests > 0 {
            let seconds = try timePlanner(requests: plannerRequests)
            print("")
            print("planner alone: \(plannerRequests) requests in \(String(format: "%.3f", seconds)) s (target < 1 s)")
        }
    }

    private func measure(size: Int, backend: SandboxBackend, binary: String) async throws -> [BenchmarkRow] {
        let workload = GeneratedWorkload(requests: size, now: Date(), pluginName: backend.pluginName)
        let latency = Duration.milliseconds(latencyMs)
        let sandbox = try await SandboxEnvironment.start(scenario: workload.scenario, backend: backend, opsgenieFaults: FakeOpsgenieFaults(latency: latency))
        await sandbox.teleport.state.setLatency(latency)
        await sandbox.opsgenie.setStatusDelayPolls(0)
        await sandbox.jsm.setStatusDelayPolls(0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try workload.manifestsYAML.write(to: directory.appendingPathComponent("manifests.yaml"), atomically: true, encoding: .utf8)
        await sandbox.addDirectory(of: try ManifestLoader().load(path: directory.appendingPathComponent("manifests.yaml").path))
        try sandbox.apiKey.value.write(to: directory.appendingPathComponent("api-key"), atomically: true, encoding: .utf8)
        let jsmURL = await sandbox.jsm.baseURL.absoluteString
        let config = """
            manifests: manifests.yaml
            format: json
            concurrency: \(concurrency)
            max_rounds: 3
            teleport: {addr: "\(sandbox.teleport.address)", identity_file: "\(sandbox.identityFile)", route: auth}
            alerting: {backend: \(backend.rawValue)}
            opsgenie:
              url: "\(sandbox.opsgenieURL.absoluteString)"
              api_key_file: api-key
              concurrency: \(concurrency)
              rate_limits: {alert_write: 100000, alert_read: 100000, schedule: 100000}
            jsm:
              api_url: "\(jsmURL)"
              site_url: "\(jsmURL)"
              cloud_id: \(sandbox.jsm.cloudID)
              user: \(SandboxEnvironment.jsmUser)
              api_token_file: api-key
              concurrency: \(concurrency)
              rate_limits: {alert_write: 100000, alert_read: 100000, schedule: 100000, user: 100000}
            auto_approval: {reviewer: \(SandboxEnvironment.jobUser)}
            """
        let configPath = directory.appendingPathComponent("config.yaml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)

        var rows: [BenchmarkRow] = []
        for (label, reportName) in [("catch-up", "catch-up.json"), ("no-op", "no-op.json")] {
            await sandbox.opsgenie.clearCalls()
            await sandbox.jsm.clearCalls()
            await sandbox.teleport.state.clearCalls()
            let expectation = try await Minimum.before(sandbox: sandbox)
            let reportPath = directory.appendingPathComponent(reportName).path
            let result = try childWrapper.map { try ChildProcess.run($0, arguments: [binary, "apply", "--config", configPath], stdout: reportPath) }
                ?? ChildProcess.run(binary, arguments: ["apply", "--config", configPath], stdout: reportPath)
            // A wrapper (a profiler) may print lines of its own around the JSON report.
            let output = try String(contentsOfFile: reportPath, encoding: .utf8)
            let json = output.range(of: "\n}\n").flatMap { end in
                output.range(of: "{\n").map { String(output[$0.lowerBound..<end.upperBound]) }
            } ?? output
            let report = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
            let alertingCalls = await sandbox.alerting.callCounts()
            let teleportCalls = await sandbox.teleport.state.callCounts()
            rows.append(BenchmarkRow(size: size, backend: backend, label: label, result: result, report: report, minimum: expectation.calls(for: report),
                                     allowedSeconds: expectation.allowedSeconds(for: report, latency: Double(latencyMs) / 1000, concurrency: concurrency),
                                     alertingCalls: alertingCalls, teleportCalls: teleportCalls))
        }
        await sandbox.stop()
        return rows
    }

    private func timePlanner(requests: Int) throws -> Double {
        let workload = GeneratedWorkload(requests: requests, now: Date())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-bench-manifests-\(UUID().uuidString).yaml")
        try workload.manifestsYAML.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let manifests = try ManifestLoader().load(path: file.path)
        var onCall = OnCallSnapshot()
        for (schedule, recipients) in workload.scenario.onCall { onCall.record(schedule: schedule, recipients: recipients) }
        let observation = Observation(cluster: workload.scenario.cluster, requests: workload.scenario.requests, alerts: workload.scenario.alerts,
                                      onCall: onCall, pluginData: workload.scenario.pluginData.compactMapValues { $0.entries["opsgenie"].map(PluginEntry.init) })
        let planner = Planner(manifests: manifests, policy: PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: SandboxEnvironment.jobUser)))
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            let plan = planner.plan(observation, now: workload.scenario.now)
            let elapsed = clock.now - start
            precondition(!plan.actions.isEmpty)
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }
}
extension SandboxBackend: ExpressibleByArgument {}
