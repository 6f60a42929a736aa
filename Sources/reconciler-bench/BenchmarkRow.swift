import AccessReconciler
import Foundation
import ReconcilerTesting

/// One measured run, as a table row.
struct BenchmarkRow {
    let size: Int
    let backend: SandboxBackend
    let label: String
    let throttle: ThrottleProfile?
    let result: ChildProcess.Result
    let report: ReportDocument
    let minimum: Minimum
    let calls: FakesReply.RunCalls
    let fakesCPUSeconds: Double
    let latency: Double
    let concurrency: Int

    static let header = """
        | backend  | requests | run      | server limit | exit | writes | wall s | allowed s | bound   | wall/allowed | job CPU s | fakes CPU s | calls | minimum | calls/min | 429s | 429 % | write pace/s | accepted/s | peak RSS MB |
        |----------|---------:|----------|--------------|-----:|-------:|-------:|----------:|---------|-------------:|----------:|------------:|------:|--------:|----------:|-----:|------:|-------------:|-----------:|------------:|
        """

    var totalCalls: Int { calls.alerting.values.reduce(0, +) + calls.teleport.values.reduce(0, +) }

    /// What latency and concurrency allow, or, against a throttling server, the accepted calls to
    /// the limited bucket at the limit's sustained rate, whichever is longer.
    var allowed: (seconds: Double, bound: String) {
        let byLatency = minimum.allowedSeconds(for: report, latency: latency, concurrency: concurrency)
        guard let throttle else { return (byLatency, "latency") }
        let byLimit = Double(calls.limitedAccepted) / throttle.sustained
        return byLimit > byLatency ? (byLimit, "API") : (byLatency, "latency")
    }

    var line: String {
        let writes = report.actions.filter { $0.status == .done }.count
        let (allowedSeconds, bound) = allowed
        let minimumCalls = minimum.calls(for: report)
        return String(format: "| %@ | %8d | %@ | %@ | %4d | %6d | %6.2f | %9.2f | %@ | %12.2f | %9.2f | %11.2f | %5d | %7d | %9.2f | %4d | %5.1f | %12.1f | %10.1f | %11.1f |",
                      pad(backend.rawValue, 8), size, pad(label, 8), pad(throttle?.description ?? "none", 12), result.status, writes,
                      result.seconds, allowedSeconds, pad(bound, 7), result.seconds / max(allowedSeconds, 0.001), result.cpuSeconds, fakesCPUSeconds,
                      totalCalls, minimumCalls, Double(totalCalls) / Double(max(minimumCalls, 1)), calls.throttled,
                      100 * Double(calls.throttled) / Double(max(totalCalls, 1)), writePace, calls.settledWriteRate, Double(result.peakResidentBytes) / 1_048_576)
    }

    /// The pace the job's alert-write bucket ended the run at, from its report (0: never used).
    var writePace: Double {
        report.pacing?.first { $0.bucket.hasSuffix(" alertWrite") }?.pace ?? 0
    }

    private func pad(_ text: String, _ width: Int) -> NSString {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) as NSString
    }

    /// Calls per endpoint, one line per run.
    var notes: [String] {
        let teleport = calls.teleport.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let alerting = calls.alerting.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let limit = throttle.map { " (limit \($0))" } ?? ""
        return ["\(backend) \(size) \(label)\(limit): Teleport: \(teleport); \(backend): \(alerting)"]
    }
}
