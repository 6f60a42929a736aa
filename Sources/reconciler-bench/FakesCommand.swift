import AccessReconciler
import ArgumentParser
import Foundation
import ReconcilerTesting

/// `reconciler-bench serve-fakes`: the fakes of one benchmark workload, in a process of their own so
/// that their CPU time is not the job's. It seeds them, writes the job's files into `--directory`,
/// prints `READY <config file>`, then answers the driver's commands on stdin, one JSON line each
/// on stdout: `begin` (forget the calls, and what the next run needs at least), `end` (the calls
/// since `begin`, the throttles, the rate the limited bucket settled at, this process's CPU time),
/// `quit`.
struct FakesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-fakes",
        abstract: "Serve one workload's fakes for the benchmark driver (internal).",
        shouldDisplay: false
    )

    @Option var backend: SandboxBackend
    @Option var requests: Int
    @Option var latencyMs: Int
    @Option(help: "The job's concurrency (none: the job's defaults, ceilings included).") var concurrency: Int?
    @Option(help: "Least time the fakes take to process an alert write, in milliseconds.") var processingMsMin = 0
    @Option(help: "Most time the fakes take to process an alert write, in milliseconds.") var processingMsMax = 0
    @Option var directory: String
    @Option(help: "Alert writes the fake allows per rolling second (none: unlimited).") var writesPerSecond: Int?
    @Option(help: "Alert writes the fake allows per rolling minute (none: unlimited).") var writesPerMinute: Int?

    func run() async throws {
        let workload = GeneratedWorkload(requests: requests, now: Date(), pluginName: backend.pluginName)
        let latency = Duration.milliseconds(latencyMs)
        let sandbox = try await SandboxEnvironment.start(scenario: workload.scenario, backend: backend, opsgenieFaults: FakeServiceFaults(latency: latency))
        await sandbox.teleport.state.setLatency(latency)
        await sandbox.opsgenie.setStatusDelayPolls(0)
        await sandbox.jsm.setStatusDelayPolls(0)
        if processingMsMax > 0 {
            // Writes are processed in the service's own time: their status shows only then.
            let range = Double(processingMsMin) / 1000...Double(max(processingMsMin, processingMsMax)) / 1000
            await sandbox.opsgenie.setProcessingDelay(range)
            await sandbox.jsm.setProcessingDelay(range)
        }
        let throttle = FakeRateLimit(perSecond: writesPerSecond, perMinute: writesPerMinute)
        let throttled = writesPerSecond != nil || writesPerMinute != nil
        if throttled { await sandbox.alerting.limit(bucket: backend.writeBucket, throttle) }
        let folder = URL(fileURLWithPath: directory)
        try workload.manifestsYAML.write(to: folder.appendingPathComponent("manifests.yaml"), atomically: true, encoding: .utf8)
        await sandbox.addDirectory(of: try ManifestLoader().load(path: folder.appendingPathComponent("manifests.yaml").path))
        try sandbox.apiKey.value.write(to: folder.appendingPathComponent("api-key"), atomically: true, encoding: .utf8)
        let configPath = folder.appendingPathComponent("config.yaml").path
        try await jobConfiguration(sandbox: sandbox).write(toFile: configPath, atomically: true, encoding: .utf8)
        FakesReply.send(line: "READY \(configPath)")

        while let command = readLine() {
            switch command {
            case "begin":
                await sandbox.alerting.clearCalls()
                await sandbox.teleport.state.clearCalls()
                FakesReply.send(try await Minimum.before(sandbox: sandbox))
            case "end":
                let calls = await sandbox.alerting.calls
                let accepted = calls.filter { call in
                    sandbox.alerting.bucket(of: call) == backend.writeBucket && call.status.map { (200..<300).contains($0) } == true
                }
                FakesReply.send(FakesReply.RunCalls(
                    alerting: await sandbox.alerting.callCounts(), teleport: await sandbox.teleport.state.callCounts(),
                    throttled: calls.filter { $0.status == 429 }.count, limitedAccepted: accepted.count,
                    alertWrites: calls.filter { call in
                        call.method != "GET" && call.status.map { (200..<300).contains($0) } == true
                            && (sandbox.alerting.bucket(of: call) == backend.writeBucket) && call.request.segments.contains("alerts")
                    }.count,
                    settledWriteRate: FakesReply.settledRate(accepted.map(\.receivedAt)),
                    cpuSeconds: FakesReply.ownCPUSeconds()))
            case "quit":
                await sandbox.stop()
                return
            default:
                FakesReply.send(line: "ERROR unknown command \(command)")
            }
        }
        await sandbox.stop()
    }

    /// The job's configuration. Unlimited fakes: the job starts at its default pace and may rise
    /// as far as latency and concurrency allow. A limited fake: the job's default pacing as it is.
    /// Without `--concurrency`: every setting at the job's default, as a user runs it.
    private func jobConfiguration(sandbox: SandboxEnvironment) async throws -> String {
        let jsmURL = await sandbox.jsm.baseURL.absoluteString
        let unlimited = writesPerSecond == nil && writesPerMinute == nil && concurrency != nil
        let concurrencyLine = concurrency.map { "\nconcurrency: \($0)" } ?? ""
        let clientConcurrency = concurrency.map { "\n  concurrency: \($0)" } ?? ""
        let opsgenieCeilings = unlimited ? "\n  rate_ceilings: {alert_write: 100000, alert_read: 100000, schedule: 100000}" : ""
        let jsmCeilings = unlimited ? "\n  rate_ceilings: {alert_write: 100000, alert_read: 100000, schedule: 100000, user: 100000}" : ""
        return """
            manifests: manifests.yaml
            format: json\(concurrencyLine)
            max_rounds: 3
            teleport: {addr: "\(sandbox.teleport.address)", identity_file: "\(sandbox.identityFile)", route: auth}
            alerting: {backend: \(backend.rawValue)}
            opsgenie:
              url: "\(sandbox.opsgenieURL.absoluteString)"
              api_key_file: api-key\(clientConcurrency)\(opsgenieCeilings)
            jsm:
              api_url: "\(jsmURL)"
              site_url: "\(jsmURL)"
              cloud_id: \(sandbox.jsm.cloudID)
              user: \(SandboxEnvironment.jsmUser)
              api_token_file: api-key\(clientConcurrency)\(jsmCeilings)
            """
    }
}
