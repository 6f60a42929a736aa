import AccessReconciler
import ArgumentParser
import Foundation
import ReconcilerTesting

/// `reconciler-bench measure`: for each size it seeds the fakes (in a process of their own) with a
/// morning after an outage, runs the real `access-reconciler apply` binary as a catch-up and again
/// with nothing to do, then runs catch-ups against fakes that throttle alert writes, and prints one
/// row per run: wall time against what latency, concurrency and the API's limits allow, the job's
/// and the fakes' CPU time, API calls against the minimum the work needs, 429s, the rate the
/// throttled bucket settled at, and the job's peak memory. Then it times the planner alone.
struct MeasureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Measure catch-ups, steady-state runs and throttled runs against the fakes, and the planner alone."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Numbers of access requests.")
    var sizes: [Int] = [100, 1_000, 2_000, 10_000]

    @Option(name: .long, parsing: .upToNextOption, help: "Alert backends to measure: opsgenie, jsm.")
    var alertBackends: [SandboxBackend] = SandboxBackend.allCases

    @Option(name: .long, help: "Latency of every API call, in milliseconds.")
    var latencyMs = 20

    @Option(name: .long, help: "Requests in flight at once (alert client and writes).")
    var concurrency = 8

    @Option(name: .long, help: "Access requests of each throttled run (0 to skip them).")
    var throttledRequests = 600

    @Option(name: .long, help: "Requests for the planner-alone timing (0 to skip).")
    var plannerRequests = 100_000

    @Flag(name: .long, help: "Time the planner only.")
    var plannerOnly = false

    @Option(name: .long, help: ArgumentHelp("Run the job under this program (e.g. /usr/bin/heaptrack) to profile it; timings then include the profiler.", valueName: "path"))
    var childWrapper: String?

    /// The throttling servers of the throttled rows: a per-second bucket, and a per-minute bucket
    /// that allows short bursts.
    static let throttles = [ThrottleProfile(perSecond: 20), ThrottleProfile(perSecond: 40, perMinute: 600)]

    func run() async throws {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = folder.appendingPathComponent("access-reconciler").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("build the job first: swift build -c release --product access-reconciler (looked for \(binary))")
        }
        let bench = Bundle.main.executablePath ?? CommandLine.arguments[0]
        say("access-reconciler benchmark: latency \(latencyMs) ms per call, concurrency \(concurrency), \(GeneratedWorkload.scheduleCount) schedules; fakes in a process of their own")
        say("")
        say(BenchmarkRow.header)
        var notes: [String] = []
        func show(_ rows: [BenchmarkRow]) {
            for row in rows {
                say(row.line)
                notes += row.notes
            }
        }
        for backend in plannerOnly ? [] : alertBackends {
            for size in sizes {
                show(try measure(size: size, backend: backend, throttle: nil, runs: ["catch-up", "no-op"], job: binary, bench: bench))
            }
            if throttledRequests > 0 {
                for throttle in Self.throttles {
                    show(try measure(size: throttledRequests, backend: backend, throttle: throttle, runs: ["catch-up"], job: binary, bench: bench))
                }
            }
        }
        say("")
        for note in notes { say(note) }
        if plannerRequests > 0 {
            let seconds = try PlannerTiming.best(requests: plannerRequests)
            say("")
            say("planner alone: \(plannerRequests) requests in \(String(format: "%.3f", seconds)) s (target ≤ 0.5 s)")
        }
    }

    private func measure(size: Int, backend: SandboxBackend, throttle: ThrottleProfile?, runs: [String], job: String, bench: String) throws -> [BenchmarkRow] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fakes = try FakesProcess(executable: bench, backend: backend, requests: size, latencyMs: latencyMs, concurrency: concurrency,
                                     directory: directory.path, throttle: throttle)
        defer { fakes.quit() }
        var rows: [BenchmarkRow] = []
        for label in runs {
            let minimum = try fakes.begin()
            let fakesBefore = try fakes.end().cpuSeconds
            let reportPath = directory.appendingPathComponent("\(label).json").path
            let arguments = ["apply", "--config", fakes.configPath]
            let result = try childWrapper.map { try ChildProcess.run($0, arguments: [job] + arguments, stdout: reportPath) }
                ?? ChildProcess.run(job, arguments: arguments, stdout: reportPath)
            let calls = try fakes.end()
            let report = try Self.report(at: reportPath)
            rows.append(BenchmarkRow(size: size, backend: backend, label: label, throttle: throttle, result: result, report: report,
                                     minimum: minimum, calls: calls, fakesCPUSeconds: calls.cpuSeconds - fakesBefore,
                                     latency: Double(latencyMs) / 1000, concurrency: concurrency))
        }
        return rows
    }

    private func say(_ line: String) { FakesReply.send(line: line) }

    /// The job's JSON report; a wrapper (a profiler) may print lines of its own around it.
    static func report(at path: String) throws -> ReportDocument {
        let output = try String(contentsOfFile: path, encoding: .utf8)
        let json = output.range(of: "\n}\n").flatMap { end in
            output.range(of: "{\n").map { String(output[$0.lowerBound..<end.upperBound]) }
        } ?? output
        return try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
    }
}
