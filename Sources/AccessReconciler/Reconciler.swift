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
    public func run(_ mode: RunReport.Mode, clock: @Sendable () -> Date = { Date() }, stop: RunStop = RunStop()) async throws -> RunReport {
        var policy = configuration.planningPolicy
        policy.tagLimit = alerts.tagLimit
        guard policy.ownerTag.utf16.count <= alerts.tagLimit else {
            throw ConfigurationError.invalid(source: "alerting.owner_tag", problem: "the alert backend keeps tags of at most \(alerts.tagLimit) characters")
        }
        let observer = Observer(requests: requests, alerts: alerts, policy: policy, manifests: manifests, logger: logger)
        let planner = Planner(manifests: manifests, policy: policy)
        let applier = Applier(requests: requests, alerts: alerts, concurrency: configuration.maxConcurrentWrites, stop: stop, logger: logger)
        var rounds: [RunReport.Round] = []
        while true {
            let now = clock()
            stop.enter("looking at Teleport and the alerts (look \(rounds.count + 1))")
            let plan = planner.plan(try await observer.observe(now: now), now: now)
            guard mode == .apply, !plan.actions.isEmpty, rounds.count < configuration.maxRounds, stop.reason == nil else {
                rounds.append(RunReport.Round(plan: plan))
                break
            }
            if let limit = configuration.maxChanges, plan.actions.count > limit {
                throw ReconcileError.tooManyChanges(planned: plan.actions.count, limit: limit)
            }
            stop.enter("writing (round \(rounds.count + 1), \(plan.actions.count) writes)")
            let outcomes = await applier.apply(plan)
            rounds.append(RunReport.Round(plan: plan, outcomes: outcomes))
            if outcomes.contains(where: { $0.status == .failed }) || stop.reason != nil { break }
        }
        stop.enter("reporting")
        var report = RunReport(mode: mode, rounds: rounds, manifests: ManifestSummary(manifests), stoppedBecause: stop.reason)
        report.pacing = await alerts.pacing()
        return report
    }

    /// The same run at a fixed time (tests, fixtures).
    public func run(_ mode: RunReport.Mode, now: Date) async throws -> RunReport {
        try await run(mode, clock: { now })
    }

    /// The report as the configured format prints it.
    public static func render(_ report: RunReport, format: ReportFormat) throws -> String {
        switch format {
        case .text: return TextReport.render(report)
        case .json: return try ReportDocument(report).json() + "\n"
        }
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
