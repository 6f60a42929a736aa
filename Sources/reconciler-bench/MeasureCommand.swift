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

    @Option(name: .long, parsing: .upToNextOption, help: "Latencies of every API call, in milliseconds: each row set runs at each.")
    var latenciesMs: [Int] = [20, 150]

    @Option(name: .long, parsing: .upToNextOption, help: "The sizes of the tuned rows at latencies above the first (slow rows take long).")
    var slowSizes: [Int] = [2_000]

    @Option(name: .long, help: ArgumentHelp("How long the fakes take to process an alert write, drawn for each write.", valueName: "min-max ms"))
    var processingMs = "100-500"

    @Option(name: .long, help: "The tuned rows' concurrency (alert client and writes); their rate ceilings are raised out of the way.")
    var concurrency = 8

    @Option(name: .long, help: "Access requests of the rows that run the job with its default settings (0 to skip them).")
    var defaultsRequests = 2_000

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
        let processing = try Self.range(processingMs)
        say("access-reconciler benchmark: latency \(latenciesMs.map(String.init).joined(separator: " and ")) ms per call, writes processed "
            + "\(processing.lowerBound)–\(processing.upperBound) ms after they are accepted, tuned rows at concurrency \(concurrency), "
            + "\(GeneratedWorkload.scheduleCount) schedules; fakes in a process of their own")
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
            for (position, latency) in latenciesMs.enumerated() {
                let workload = Workload(latencyMs: latency, processingMs: processing)
                for size in position == 0 ? sizes : slowSizes {
                    show(try measure(size: size, backend: backend, workload: workload, settings: .tuned(concurrency: concurrency),
                                     runs: ["catch-up", "no-op"], job: binary, bench: bench))
                }
                if defaultsRequests > 0 {
                    show(try measure(size: defaultsRequests, backend: backend, workload: workload, settings: .defaults,
                                     runs: ["catch-up"], job: binary, bench: bench))
                }
            }
            if throttledRequests > 0, let latency = latenciesMs.first {
                for throttle in Self.throttles {
                    show(try measure(size: throttledRequests, backend: backend, workload: Workload(latencyMs: latency, processingMs: processing, throttle: throttle),
                                     settings: .defaults, runs: ["catch-up"], job: binary, bench: bench))
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

    private func measure(size: Int, backend: SandboxBackend, workload: Workload, settings: JobSettings, runs: [String],
                         job: String, bench: String) throws -> [BenchmarkRow] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fakes = try FakesProcess(executable: bench, backend: backend, requests: size, latencyMs: workload.latencyMs, concurrency: settings.concurrency,
                                     processingMs: workload.processingMs, directory: directory.path, throttle: workload.throttle)
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
            rows.append(BenchmarkRow(size: size, backend: backend, label: label, workload: workload, settings: settings, result: result,
                                     report: report, minimum: minimum, calls: calls, fakesCPUSeconds: calls.cpuSeconds - fakesBefore))
        }
        return rows
    }

    private func say(_ line: String) { FakesReply.send(line: line) }

    /// `100-500` as a range of milliseconds.
    static func range(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 0, parts[0] <= parts[1] else {
            throw ValidationError("--processing-ms: expected min-max in milliseconds, such as 100-500 (got \(text))")
        }
        return parts[0]...parts[1]
    }

    /// The job's JSON report; a wrapper (a profiler) may print lines of its own around it.
    static func report(at path: String) throws -> ReportDocument {
        let output = try String(contentsOfFile: path, encoding: .utf8)
        let json = output.range(of: "\n}\n").flatMap { end in
            output.range(of: "{\n").map { String(output[$0.lowerBound..<end.upperBound]) }
        } ?? output
        return try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
    }
}
