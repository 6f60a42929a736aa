import Foundation
import Logging

/// One run of the job: load → observe → plan → apply → report.
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

    /// Looks at both sides, plans, and in `apply` mode carries the plan out. `now` is the time the
    /// plan is computed for (requests past their expiry count as expired).
    public func run(_ mode: RunReport.Mode, now: Date = Date()) async throws -> RunReport {
        let policy = configuration.planningPolicy
        let observation = try await Observer(requests: requests, alerts: alerts, policy: policy, manifests: manifests, logger: logger)
            .observe(now: now)
        let plan = Planner(manifests: manifests, policy: policy).plan(observation, now: now)
        let outcomes = mode == .apply ? await Applier(requests: requests, alerts: alerts, logger: logger).apply(plan, now: now) : []
        return RunReport(mode: mode, plan: plan, outcomes: outcomes, manifests: ManifestSummary(manifests))
    }

    /// The report as the configured format prints it.
    public static func render(_ report: RunReport, format: ReportFormat) throws -> String {
        switch format {
        case .text: return TextReport.render(report)
        case .json: return try ReportDocument(report).json() + "\n"
        }
    }
}
