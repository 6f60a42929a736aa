import Foundation

/// The settings the planner applies, taken from the configuration and the cluster.
public struct PlanningPolicy: Sendable {
    /// Schedules notified when a request has no `teleport.dev/notify-services` annotation.
    public var defaultSchedules: [String]
    /// Teams notified when a request has no `teleport.dev/teams` annotation.
    public var defaultTeams: [String]
    public var priority: AlertPriority
    /// The tag that marks alerts as the job's.
    public var ownerTag: String
    /// Teleport's web address, for the link in the alert description.
    public var webProxyURL: URL?
    public var autoApproval: AutoApprovalPolicy

    public init(defaultSchedules: [String] = [], defaultTeams: [String] = [], priority: AlertPriority = .p3,
                ownerTag: String = PlanningPolicy.defaultOwnerTag, webProxyURL: URL? = nil,
                autoApproval: AutoApprovalPolicy = AutoApprovalPolicy()) {
        self.defaultSchedules = defaultSchedules
        self.defaultTeams = defaultTeams
        self.priority = priority
        self.ownerTag = ownerTag
        self.webProxyURL = webProxyURL
        self.autoApproval = autoApproval
    }

    public static let defaultOwnerTag = "access-reconciler"
}

/// When the job may approve a request because its requester is on call.
public struct AutoApprovalPolicy: Sendable {
    public var enabled: Bool
    /// The job's own Teleport user: the author of its reviews. Without it the job cannot tell
    /// whether it already reviewed a request, so it approves nothing.
    public var reviewer: String?
    /// When not empty, every requested role must match one of these (Teleport issue 37320).
    public var roles: [RoleMatcher]
    /// When set, requests asking for longer access are left to a person (seconds).
    public var maxDuration: Double?
    /// Appended to user names that are not e-mail addresses and have no `email` trait, to find the
    /// requester in Opsgenie's on-call lists.
    public var emailDomain: String?

    public init(enabled: Bool = true, reviewer: String? = nil, roles: [RoleMatcher] = [], maxDuration: Double? = nil,
                emailDomain: String? = nil) {
        self.enabled = enabled
        self.reviewer = reviewer
        self.roles = roles
        self.maxDuration = maxDuration
        self.emailDomain = emailDomain
    }
}
