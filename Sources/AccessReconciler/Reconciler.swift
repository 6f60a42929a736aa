import Foundation
import Logging

/// One run of the job: load → observe → plan → apply → report. In `apply` it looks again after
/// each round of writes and repeats until nothing is left to do, at most `maxRounds` times.
public struct Reconciler: Sendable {
    public let setup: RunSetup
    public let requests: any AccessRequestPort
    public let alerts: any AlertBackend
    let logger: Logger

    public init(setup: RunSetup, requests: any AccessRequestPort, alerts: any AlertBackend,
                logger: Logger = Logger(label: "access-reconciler")) {
        self.setup = setup
        self.requests = requests
        self.alerts = alerts
        self.logger = logger
    }

    public init(configuration: ReconcilerConfiguration, manifests: ManifestSet, requests: any AccessRequestPort,
                alerts: any AlertBackend, logger: Logger = Logger(label: "access-reconciler")) {
        self.init(setup: RunSetup(configuration: configuration, manifests: manifests), requests: requests, alerts: alerts, logger: logger)
    }

    public var configuration: ReconcilerConfiguration { setup.configuration }
    public var manifests: ManifestSet { setup.manifests }

    /// Looks at both sides and plans; in `apply` mode carries the plan out and looks again:
    /// observe → plan → filter → apply, then report. `clock` gives the time each plan is computed
    /// for (requests past their expiry count as expired). `stop` ends the run early: no write
    /// starts once it is requested, and no further look. With a saved plan in the setup, `apply`
    /// carries out only the writes of it that the first fresh look plans too, then looks once more
    /// for the report (`SavedPlanFilter`).
    public func run(_ mode: RunReport.Mode, clock: @Sendable () -> Date = { Date() }, stop: RunStop = RunStop()) async throws -> RunReport {
        var policy = configuration.planningPolicy
        policy.tagLimit = alerts.tagLimit
        let desired = DesiredState(manifests: manifests, policy: policy)
        let observer = Observer(requests: requests, alerts: alerts, desired: desired, logger: logger)
        let planner = Planner(desired: desired)
        let applier = Applier(requests: requests, alerts: alerts, approval: policy.autoApproval, concurrency: configuration.maxConcurrentWrites,
                              stop: stop, logger: logger)
        var filter: any PlanFilter = setup.saved.map { SavedPlanFilter($0, logger: logger) } ?? WholePlan()
        var rounds: [RunReport.Round] = []
        while true {
            stop.enter("looking at Teleport and the alerts (look \(rounds.count + 1))")
            let now = clock()
            let selection = try filter.select(planner.plan(try await observer.observe(now: now), now: now), look: rounds.count + 1)
            let writes = selection.writes
            guard mode == .apply, !writes.actions.isEmpty, rounds.count < configuration.maxRounds, stop.reason == nil else {
                rounds.append(RunReport.Round(plan: selection.reported))
                break
            }
            if let limit = configuration.maxChanges, writes.actions.count > limit {
                throw ReconcileError.tooManyChanges(planned: writes.actions.count, limit: limit)
            }
            stop.enter("writing (round \(rounds.count + 1), \(writes.actions.count) writes)", writing: true)
            let outcomes = await applier.apply(writes, now: clock())
            rounds.append(RunReport.Round(plan: writes.keptForReport(), outcomes: outcomes))
            if outcomes.contains(where: { $0.status == .failed }) || stop.reason != nil { break }
        }
        stop.enter("reporting")
        var report = RunReport(mode: mode, rounds: rounds, manifests: ManifestSummary(manifests), stoppedBecause: stop.reason)
        report.savedPlan = filter.savedPlanSummary
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
