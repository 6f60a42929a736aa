import Foundation

/// `check`: whether the job can do its work against this Teleport and this alert service, found
/// with reads only. A mode beside `Reconciler`: it loads what a run loads and asks each side
/// what a run would need, but plans and writes nothing. A side that cannot be set up (a bad
/// identity file, a missing key) is a ✗ of its own, and the other side is still checked.
public struct Preflight: Sendable {
    public let configuration: ReconcilerConfiguration
    public let manifests: ManifestSet
    public let teleport: Result<any TeleportPreflight, any Error>
    public let alerts: Result<any AlertServicePreflight, any Error>
    /// The alert service's name when its client could not be built.
    public let alertServiceName: String
    /// The lock file a run of these settings takes.
    public let lockPath: String
    /// The metrics file the settings name, if any.
    public let metricsFile: String?
    /// Every setting of the job, so that a fix names the flag to set, whichever module declares it.
    public let settings: SettingsCatalog
    /// The identity's certificate expiring sooner than this is a warning: Machine ID renews it.
    public static let expiryWarning: Duration = .seconds(3600)

    public init(configuration: ReconcilerConfiguration, manifests: ManifestSet, teleport: Result<any TeleportPreflight, any Error>,
                alerts: Result<any AlertServicePreflight, any Error>, alertServiceName: String, lockPath: String, metricsFile: String?,
                settings: SettingsCatalog) {
        self.configuration = configuration
        self.manifests = manifests
        self.teleport = teleport
        self.alerts = alerts
        self.alertServiceName = alertServiceName
        self.lockPath = lockPath
        self.metricsFile = metricsFile
        self.settings = settings
    }

    public func run(now: Date = Date(), runID: String = "check") async -> CheckReport {
        let table = RoutingTable(manifests: manifests, policy: configuration.planningPolicy)
        let (teleportLines, cluster) = await checkTeleport(table: table, now: now)
        let alertLines = await checkAlerting(table: table, cluster: cluster, now: now)
        let service = (try? alerts.get().serviceName) ?? alertServiceName
        return CheckReport(lines: teleportLines + alertLines + checkJob(runID: runID), alertService: service)
    }

    // MARK: Helpers

    static func probeLine(_ area: CheckLine.Area, _ check: String, _ outcome: ProbeOutcome, passed: String, what: String, fix: String) -> CheckLine {
        switch outcome {
        case .accepted: return CheckLine(area, check, .passed, passed)
        case let .refused(reason): return CheckLine(area, check, .failed, "may not \(what): \(reason)", fix: fix)
        case let .invalid(reason), let .failed(reason): return CheckLine(area, check, .failed, "could not \(what): \(reason)", fix: fix)
        }
    }

    func notChecked(_ checks: [String], _ reason: String, area: CheckLine.Area = .teleport) -> [CheckLine] {
        checks.map { CheckLine(area, $0, .undecided, "\($0): not checked, as \(reason)", fix: "fix the line above and run check again") }
    }
}
