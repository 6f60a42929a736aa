import Foundation
import Logging

/// One run of the job: load → observe → plan → apply → report. In `apply` it looks again after
/// each round of writes and repeats until nothing is left to do, at most `maxRounds` times.
public struct Reconciler: Sendable {
    public let configuration: ReconcilerConfiguration
    public let manifests: ManifestSet
    public let requests: any AccessRequestPort
    public let alerts: any AlertBackend
    let logger: Logger

    public init(configuration: ReconcilerConfiguration, manifests: ManifestSet, requests: any AccessRequestPort,
                alerts: any AlertBackend, logger: Logger = Logger(label: "access-reconciler")) {
        self.configuration = configuration
        self.manifests = manifests
        self.requests = requests
        self.alerts = alerts
        self.logger = logger
    }

    /// Looks at both sides and plans; in `apply` mode carries the plan out and looks again.
    /// `clock` gives the time each plan is computed for (requests past their expiry count as expired).
    /// `stop` ends the run early: no write starts once it is requested, and no further look.
    /// `saved`: in `apply`, carry out only the writes of this saved plan that the first fresh look
    /// plans too, then look once more for the report.
    public func run(_ mode: RunReport.Mode, clock: @Sendable () -> Date = { Date() }, stop: RunStop = RunStop(),
                    saved: SavedPlanRun? = nil) async throws -> RunReport {
        var policy = configuration.planningPolicy
        policy.tagLimit = alerts.tagLimit
        guard policy.ownerTag.utf16.count <= alerts.tagLimit else {
            throw ConfigurationError.invalid(source: "alerting.owner_tag", problem: "the alert backend keeps tags of at most \(alerts.tagLimit) characters")
        }
        let observer = Observer(requests: requests, alerts: alerts, policy: policy, manifests: manifests, logger: logger)
        let planner = Planner(manifests: manifests, policy: policy)
        let applier = Applier(requests: requests, alerts: alerts, approval: policy.autoApproval, concurrency: configuration.maxConcurrentWrites,
                              stop: stop, logger: logger)
        var rounds: [RunReport.Round] = []
        var stale: [SavedPlan.Action] = []
        while true {
            let now = clock()
            stop.enter("looking at Teleport and the alerts (look \(rounds.count + 1))")
            var plan = planner.plan(try await observer.observe(now: now), now: now)
            if let saved {
                // The saved plan's writes, each only if the fresh look plans it too; one round of
                // them, then a last look that tells what differences remain.
                if !rounds.isEmpty {
                    rounds.append(RunReport.Round(plan: plan))
                    break
                }
                try saved.plan.checkCluster(plan.cluster, source: saved.source)
                (plan, stale) = saved.plan.select(from: plan)
                logger.info("saved plan matched against a fresh look", metadata: [
                    "saved": "\(saved.plan.actions.count)", "still planned": "\(plan.actions.count)", "stale": "\(stale.count)",
                ])
                if plan.actions.isEmpty, stop.reason == nil {
                    rounds.append(RunReport.Round(plan: plan))
                    continue
                }
            }
            guard mode == .apply, !plan.actions.isEmpty, rounds.count < configuration.maxRounds, stop.reason == nil else {
                rounds.append(RunReport.Round(plan: plan))
                break
            }
            if let limit = configuration.maxChanges, plan.actions.count > limit {
                throw ReconcileError.tooManyChanges(planned: plan.actions.count, limit: limit)
            }
            stop.enter("writing (round \(rounds.count + 1), \(plan.actions.count) writes)", writing: true)
            let outcomes = await applier.apply(plan, now: clock())
            rounds.append(RunReport.Round(plan: plan.keptForReport(), outcomes: outcomes))
            if outcomes.contains(where: { $0.status == .failed }) || stop.reason != nil { break }
        }
        stop.enter("reporting")
        var report = RunReport(mode: mode, rounds: rounds, manifests: ManifestSummary(manifests), stoppedBecause: stop.reason)
        report.savedPlan = saved.map { RunReport.SavedPlanSummary(source: $0.source, generatedAt: $0.plan.generatedAt, actions: $0.plan.actions.count, stale: stale) }
        report.pacing = await alerts.pacing()
        report.apiCalls = alerts.callCounts()
        return report
    }

    /// The same run at a fixed time (tests, fixtures).
    public func run(_ mode: RunReport.Mode, now: Date) async throws -> RunReport {
        try await run(mode, clock: { now })
    }

    /// The report as the configured format prints it, as bytes for standard output.
    public static func renderData(_ report: RunReport, format: ReportFormat) throws -> Data {
        switch format {
        case .text: return Data(TextReport.render(report).utf8)
        case .json:
            var data = try ReportDocument(report).jsonData()
            data.append(UInt8(ascii: "\n"))
            return data
        }
    }

    /// The report as the configured format prints it, handed to `sink` in pieces: a catch-up's
    /// JSON report is never held whole (`StreamedReportJSON`).
    public static func render(_ report: RunReport, format: ReportFormat, to sink: (Data) throws -> Void) throws {
        switch format {
        case .text: try sink(Data(TextReport.render(report).utf8))
        case .json: try StreamedReportJSON.write(report, to: sink)
        }
    }

    /// The report as the configured format prints it.
    public static func render(_ report: RunReport, format: ReportFormat) throws -> String {
        String(decoding: try renderData(report, format: format), as: UTF8.self)
    }
}

/// A saved plan to carry out (`apply --plan`), and the file it came from. Made only for a plan of
/// the backend the run writes to and no older than `maxAge`: both are known before anything is
/// connected; the cluster is checked at the first look.
public struct SavedPlanRun: Sendable {
    public let plan: SavedPlan
    /// The file, for errors and the report.
    public let source: String

    public init(plan: SavedPlan, source: String, alertBackend: AlertBackendID, maxAge: TimeInterval, now: Date) throws {
        if alertBackend != plan.alertBackend {
            throw SavedPlanError.otherBackend(file: source, saved: plan.alertBackend, configured: alertBackend)
        }
        try plan.checkAge(now: now, maxAge: maxAge, source: source)
        self.plan = plan
        self.source = source
    }
}

/// A run the job refuses to carry out.
public enum ReconcileError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooManyChanges(planned: Int, limit: Int)

    public var description: String {
        switch self {
        case let .tooManyChanges(planned, limit):
            return "the plan has \(planned) writes, more than --max-changes \(limit); nothing was changed. Review it with `access-reconciler plan` and raise the limit to go ahead"
        }
    }
}
