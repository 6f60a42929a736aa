import Foundation

/// A saved plan to carry out (`apply --plan`), and the file it came from. Made only for a plan of
/// the backend the run writes to and no older than `maxAge`: both are known before anything is
/// connected; the cluster is checked at the first look.
public struct SavedPlanRun: Sendable {
    public let plan: SavedPlan
    /// The file, for errors and the report.
    public let source: String

    public init(plan: SavedPlan, source: String, alertBackend: AlertBackendID, maxAge: Duration, now: Date) throws {
        if alertBackend != plan.alertBackend {
            throw SavedPlanError.otherBackend(file: source, saved: plan.alertBackend, configured: alertBackend)
        }
        try plan.checkAge(now: now, maxAge: maxAge, source: source)
        self.plan = plan
        self.source = source
    }
}
