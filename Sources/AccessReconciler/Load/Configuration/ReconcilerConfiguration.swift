import Foundation

/// The job's settings after flags, environment, configuration file and defaults were combined
/// (in that order of precedence).
public struct ReconcilerConfiguration: Sendable {
    /// Manifest file or directory.
    public var manifestsPath: String = "./manifests"
    public var format: ReportFormat = .text

    /// Teleport's web address, for links in alerts.
    public var webProxyURL: URL?

    /// Schedules and teams notified when a request's annotations name none.
    public var defaultSchedules: [String] = []
    public var defaultTeams: [String] = []
    public var priority: AlertPriority = .p3
    /// Whether the alert backend may be reached over plain HTTP at an address that is not
    /// loopback: the API key or token would cross the network unencrypted.
    public var allowPlainHTTP = false
    /// The tag that marks the job's alerts, so that listings find only them.
    public var ownerTag: String = PlanningPolicy.defaultOwnerTag
    public var autoApproval = AutoApprovalPolicy()

    /// `apply` refuses a plan with more writes than this (a catch-up after a long outage should be
    /// a decision, not an accident); nil for no limit.
    public var maxChanges: Int?
    /// Looks (each followed by its writes) `apply` makes before it gives up on agreement.
    public var maxRounds = 3
    /// Requests whose writes run at the same time.
    public var maxConcurrentWrites = 16
    /// The whole run's deadline, in seconds: below a CronJob's `activeDeadlineSeconds: 600`.
    public var timeout: Duration = .seconds(540)
    /// The file `apply` locks so that runs on this machine never overlap; nil: one per Teleport
    /// address in the temporary folder.
    public var lockFile: String?
    /// `apply --plan` refuses a saved plan older than this, in seconds.
    public var planMaxAge: Duration = .seconds(3600)

    public init() {}

    /// The planner's view of these settings.
    public var planningPolicy: PlanningPolicy {
        PlanningPolicy(defaultSchedules: defaultSchedules, defaultTeams: defaultTeams, priority: priority,
                       ownerTag: ownerTag, webProxyURL: webProxyURL, autoApproval: autoApproval)
    }
}

/// How the report is printed.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    case text, json
}

/// A setting that is missing or unusable; says which and where it came from.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(String)
    case invalid(source: String, problem: String)

    public var description: String {
        switch self {
        case let .missing(what): return "missing \(what)"
        case let .invalid(source, problem): return "\(source): \(problem)"
        }
    }
}
