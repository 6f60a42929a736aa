import AccessReconciler
import Foundation
import ReconcilerMonitoring
import ReconcilerTesting
import Testing

/// The run's metrics as Prometheus reads them, and what the next run reads back from the file.
@Suite("Run metrics")
struct RunMetricsTests {
    static let started = Date(timeIntervalSince1970: 1_795_593_600)

    static func metrics(exitCode: Int32, previousSuccess: Date?) -> RunMetrics {
        RunMetrics(.init(cluster: "teleport.example.com", startedAt: started, finishedAt: started.addingTimeInterval(12), exitCode: exitCode,
                         report: nil, previousSuccess: previousSuccess, version: "1.2.3", commit: "abc123"))
    }

    static func value(_ name: String, in families: [PrometheusTextParser.Family]) -> Double? {
        families.first { $0.name == RunMetrics.prefix + name }?.samples.first?.value
    }

    @Test("a failed run: success 0 with its exit code, and the last success kept from the run before")
    func failedRun() throws {
        let earlier = Self.started.addingTimeInterval(-300)
        let families = try PrometheusTextParser.parse(Self.metrics(exitCode: 1, previousSuccess: earlier).text())
        #expect(Self.value("last_run_success", in: families) == 0)
        #expect(Self.value("last_run_exit_code", in: families) == 1)
        #expect(Self.value("last_success_timestamp_seconds", in: families) == earlier.timeIntervalSince1970)
        #expect(Self.value("run_duration_seconds", in: families) == 12)
        let build = try #require(families.first { $0.name == RunMetrics.prefix + "build_info" }?.samples.first)
        #expect(build.labels["version"] == "1.2.3" && build.labels["commit"] == "abc123")
        #expect(families.allSatisfy { $0.type == "gauge" && $0.help?.isEmpty == false })
    }

    @Test("exit 2 (plan found changes) counts as a success; the file gives the next run its time and cluster back")
    func readBack() throws {
        let text = Self.metrics(exitCode: 2, previousSuccess: nil).text()
        let families = try PrometheusTextParser.parse(text)
        #expect(Self.value("last_run_success", in: families) == 1)
        let path = try TestRepository.temporaryFolder([:]) + "/metrics.prom"
        try MetricsFile(path: path).write(text)
        let back = MetricsFile(path: path).readBack()
        #expect(back.lastSuccess == Self.started.addingTimeInterval(12))
        #expect(back.cluster == "teleport.example.com")
        #expect(MetricsFile(path: path + ".missing").readBack() == (nil, nil))
    }
}
