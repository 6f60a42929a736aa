import AccessReconciler
import Foundation
import JSMClient
import OpsgenieClient
import ReconcilerTesting

/// One measured run, as a table row.
struct BenchmarkRow {
    let size: Int
    let backend: SandboxBackend
    let label: String
    let workload: Workload
    let settings: JobSettings
    let result: ChildProcess.Result
    let report: ReportDocument
    let minimum: Minimum
    let calls: FakesReply.RunCalls
    let fakesCPUSeconds: Double

    static let header = """
        | backend  | requests | run      | latency ms | settings | server limit | exit | writes | alert writes | wall s | allowed s | bound   | wall/allowed | target s | meets | job CPU s | fakes CPU s | calls | minimum | calls/min | 429s | 429 % | write pace/s | accepted/s | peak RSS MB |
        |----------|---------:|----------|-----------:|----------|--------------|-----:|-------:|-------------:|-------:|----------:|---------|-------------:|---------:|-------|----------:|------------:|------:|--------:|----------:|-----:|------:|-------------:|-----------:|------------:|
        """

    var totalCalls: Int { calls.alerting.values.reduce(0, +) + calls.teleport.values.reduce(0, +) }

    /// The job's alert client's concurrency under the row's settings.
    var clientConcurrency: Int {
        settings.concurrency ?? (backend == .opsgenie ? OpsgenieConfiguration.defaultConcurrency : JSMConfiguration.defaultConcurrency)
    }

    /// The job's default alert-write ceiling, for rows at default settings (tuned rows raise it).
    var writeCeiling: Double? {
        guard settings.concurrency == nil else { return nil }
        return backend == .opsgenie ? OpsgenieConfiguration.defaultRateLimits[.alertWrite]!.ceiling
            : JSMConfiguration.defaultRateLimits[.alertWrite]!.ceiling
    }

    /// Looks whose writes ended with a wait for processing: each adds at most the longest
    /// processing time, since the writes of one look are processed while others are sent.
    var roundsWithWrites: Int {
        Set(report.actions.filter { [.createAlert, .addNote, .closeAlert].contains($0.kind) && $0.status == .done }.map(\.round)).count
    }

    /// The longest of: what latency and concurrency allow; the alert writes at the job's default
    /// ceiling (rows at default settings); the accepted calls to a throttling server's limited
    /// bucket at its sustained rate. Plus the longest processing time once per look that wrote.
    var allowed: (seconds: Double, bound: String) {
        let tail = Double(roundsWithWrites) * workload.longestProcessing
        var best = (minimum.allowedSeconds(for: report, latency: workload.latency, concurrency: clientConcurrency), "latency")
        if let writeCeiling, Double(calls.alertWrites) / writeCeiling > best.0 { best = (Double(calls.alertWrites) / writeCeiling, "ceiling") }
        if let throttle = workload.throttle, Double(calls.limitedAccepted) / throttle.sustained > best.0 {
            best = (Double(calls.limitedAccepted) / throttle.sustained, "API")
        }
        return (best.0 + tail, best.1)
    }

    /// The targets, for catch-ups: at default settings, within 1.25 × (alert writes ÷ the default
    /// write ceiling) + 10 s; tuned (ceilings raised), within 1.3 × what is allowed; against a
    /// throttling server, accepting between N/2 and N a second with at most 5% of calls answered
    /// 429 (no time target).
    var target: (seconds: Double?, met: Bool)? {
        guard label == "catch-up" else { return nil }
        if let throttle = workload.throttle {
            let rate = calls.settledWriteRate
            let throttledShare = Double(calls.throttled) / Double(max(totalCalls, 1))
            return (nil, rate >= throttle.sustained / 2 && rate <= throttle.sustained * 1.05 && throttledShare <= 0.05)
        }
        let seconds = writeCeiling.map { 1.25 * Double(calls.alertWrites) / $0 + 10 } ?? 1.3 * allowed.seconds
        return (seconds, result.seconds <= seconds)
    }

    var line: String {
        let writes = report.actions.filter { $0.status == .done }.count
        let (allowedSeconds, bound) = allowed
        let minimumCalls = minimum.calls(for: report)
        let targetText = target?.seconds.map { String(format: "%8.2f", $0) } ?? "       —"
        let meets = target.map { $0.met ? "yes  " : "NO   " } ?? "—    "
        return String(format: "| %@ | %8d | %@ | %10d | %@ | %@ | %4d | %6d | %12d | %6.2f | %9.2f | %@ | %12.2f | %@ | %@ | %9.2f | %11.2f | %5d | %7d | %9.2f | %4d | %5.1f | %12.1f | %10.1f | %11.1f |",
                      pad(backend.rawValue, 8), size, pad(label, 8), workload.latencyMs, pad(settings.label, 8),
                      pad(workload.throttle?.description ?? "none", 12), result.status, writes, calls.alertWrites,
                      result.seconds, allowedSeconds, pad(bound, 7), result.seconds / max(allowedSeconds, 0.001), targetText as NSString,
                      meets as NSString, result.cpuSeconds, fakesCPUSeconds, totalCalls, minimumCalls,
                      Double(totalCalls) / Double(max(minimumCalls, 1)), calls.throttled, 100 * Double(calls.throttled) / Double(max(totalCalls, 1)),
                      writePace, calls.settledWriteRate, Double(result.peakResidentBytes) / 1_048_576)
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
        let limit = workload.throttle.map { " (limit \($0))" } ?? ""
        return ["\(backend) \(size) \(label) at \(workload.latencyMs) ms, \(settings.label)\(limit): Teleport: \(teleport); \(backend): \(alerting)"]
    }
}
