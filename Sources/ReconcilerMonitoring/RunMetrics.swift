import AccessReconciler
import Foundation
import Prometheus

/// The metrics of one run in Prometheus's text format: when it ran and whether it succeeded, how
/// long it took, its writes, findings and drift, what it saw, and its API calls. Every figure is of
/// this run (gauges, not counters): the job is a process per run, and the file or the Pushgateway
/// keeps the last run's values. A run that failed keeps the last success time it is given.
public struct RunMetrics: Sendable {
    /// What the run was and how it ended.
    public struct Run: Sendable {
        public var cluster: String
        public var startedAt: Date
        public var finishedAt: Date
        public var exitCode: Int32
        /// The report, when the run got as far as one.
        public var report: RunReport?
        /// When an earlier run last succeeded (read back from the metrics file), for a run that failed.
        public var previousSuccess: Date?
        public var version: String
        public var commit: String

        public init(cluster: String, startedAt: Date, finishedAt: Date, exitCode: Int32, report: RunReport?, previousSuccess: Date?,
                    version: String, commit: String) {
            self.cluster = cluster
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.exitCode = exitCode
            self.report = report
            self.previousSuccess = previousSuccess
            self.version = version
            self.commit = commit
        }

        /// Exit 0, and 2 (differences found, by request) are successful runs; 1 and signals are not.
        public var succeeded: Bool { exitCode == 0 || exitCode == 2 }

        /// The success time to publish: this run's, or the earlier one.
        public var lastSuccess: Date? { succeeded ? finishedAt : previousSuccess }
    }

    public static let namespace = "access_reconciler"
    public static let prefix = namespace + "_"
    public static let lastSuccessName = prefix + "last_success_timestamp_seconds"

    public let run: Run

    public init(_ run: Run) {
        self.run = run
    }

    /// The text exposition format, version 0.0.4.
    public func text() -> String {
        let registry = PrometheusCollectorRegistry()
        let cluster = ("cluster", run.cluster)
        func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = [], _ value: Double) {
            let descriptor = MetricNameDescriptor(namespace: Self.namespace, metricName: name, unitName: "", helpText: help)
            registry.makeGauge(descriptor: descriptor, labels: [cluster] + labels).set(value)
        }
        gauge("build_info", "Always 1; the labels name the build.", [("version", run.version), ("commit", run.commit)], 1)
        gauge("last_run_timestamp_seconds", "When the last run ended (Unix time).", [], run.finishedAt.timeIntervalSince1970)
        if let success = run.lastSuccess {
            gauge("last_success_timestamp_seconds", "When a run last ended with exit 0 or 2 (Unix time).", [], success.timeIntervalSince1970)
        }
        gauge("last_run_success", "1 when the last run ended with exit 0 or 2, else 0.", [], run.succeeded ? 1 : 0)
        gauge("last_run_exit_code", "The last run's exit code (143: terminated).", [], Double(run.exitCode))
        gauge("run_duration_seconds", "How long the last run took.", [], run.finishedAt.timeIntervalSince(run.startedAt))
        guard let report = run.report else { return registry.emitToString() }
        let counts = ReportDocument.Counts(report)
        gauge("rounds", "Looks at both sides the last run made.", [], Double(report.rounds.count))
        let outcomes: [(ReportDocument.Status, String)] = [(.done, "done"), (.failed, "failed"), (.skipped, "skipped"), (.planned, "pending")]
        for kind in PlannedAction.Kind.allCases {
            for (status, outcome) in outcomes {
                gauge("writes", "Writes of the last run by kind and outcome: done, failed, skipped, or pending (planned and not made).",
                      [("kind", kind.rawValue), ("outcome", outcome)], Double(counts.count(kind, status)))
            }
        }
        let plan = report.finalPlan
        for kind in Finding.Kind.allCases {
            gauge("findings", "Findings of the last run's last look, by kind.", [("kind", kind.rawValue)],
                  Double(plan.findings.count { $0.kind == kind }))
        }
        gauge("drift", "Drift findings of the last look: manifests and the live cluster disagree.", [], Double(counts.drift))
        gauge("in_sync", "1 when the last look found nothing to write, no drift and nothing unknown.", [], plan.isInSync ? 1 : 0)
        gauge("pending_requests", "Access requests pending at the last look.", [], Double(plan.seen.pendingRequests))
        gauge("open_alerts", "Open alerts the job owns or found by a request's alias, at the last look.", [], Double(plan.seen.openAlerts))
        if let saved = report.savedPlan {
            gauge("saved_plan_stale_actions", "apply --plan: saved actions the fresh look no longer planned.", [], Double(saved.stale.count))
        }
        for calls in report.apiCalls {
            let labels = [("backend", calls.backend.rawValue), ("endpoint", calls.endpoint)]
            gauge("api_calls", "HTTP calls of the last run by backend and endpoint; every attempt counts.", labels, Double(calls.calls))
            gauge("api_retries", "Attempts of the last run that were retries.", labels, Double(calls.retries))
            gauge("api_throttled", "Calls of the last run answered 429.", labels, Double(calls.throttled))
        }
        return registry.emitToString()
    }
}
