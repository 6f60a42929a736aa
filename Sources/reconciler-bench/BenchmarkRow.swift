import AccessReconciler
import Foundation
import ReconcilerTesting

/// One measured run, as a table row.
struct BenchmarkRow {
    let size: Int
    let backend: SandboxBackend
    let label: String
    let result: ChildProcess.Result
    let report: ReportDocument
    let minimum: Int
    let allowedSeconds: Double
    let alertingCalls: [String: Int]
    let teleportCalls: [String: Int]

    static let header = """
        | backend  | requests | run      | exit | looks | writes | wall s | allowed s | wall/allowed | Teleport calls | alerting calls | total | minimum | calls/min | peak RSS MB |
        |----------|---------:|----------|-----:|------:|-------:|-------:|----------:|-------------:|---------------:|---------------:|------:|--------:|----------:|------------:|
        """

    var totalCalls: Int { alertingCalls.values.reduce(0, +) + teleportCalls.values.reduce(0, +) }

    var line: String {
        let writes = report.actions.filter { $0.status == .done }.count
        return String(format: "| %@ | %8d | %@ | %4d | %5d | %6d | %6.2f | %9.2f | %12.2f | %14d | %14d | %5d | %7d | %9.2f | %11.1f |",
                      backend.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) as NSString, size, label.padding(toLength: 8, withPad: " ", startingAt: 0) as NSString, result.status, report.rounds, writes, result.seconds, allowedSeconds,
                      result.seconds / max(allowedSeconds, 0.001), teleportCalls.values.reduce(0, +), alertingCalls.values.reduce(0, +),
                      totalCalls, minimum, Double(totalCalls) / Double(max(minimum, 1)), Double(result.peakResidentBytes) / 1_048_576)
    }

    /// Calls per endpoint, one line per run.
    var notes: [String] {
        let teleport = teleportCalls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let alerting = alertingCalls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return ["\(backend) \(size) \(label): Teleport: \(teleport); \(backend): \(alerting)"]
    }
}
