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
    /// The longest tag both alert backends keep, in UTF-16 code units: the owner tag's limit.
    public static let tagLength = 50
    /// The longest tag the alert backend keeps (`AlertBackend.tagLimit`).
    public var tagLimit = PlanningPolicy.tagLength

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

/// When the job may approve a request because its requester is on call. By default no broader
/// than Teleport's own plugin: the requester's Teleport user name is looked for in the on-call
/// lists, only on schedules the request's own annotation names, and never as a second automated
/// approval.
public struct AutoApprovalPolicy: Sendable {
    /// Teleport's user for automated reviews: its hosted plugins and its built-in automatic reviews
    /// submit as this user (`SystemAccessApproverUserName`).
    public static let teleportApprovalBot = "@teleport-access-approval-bot"

    public var enabled: Bool
    /// The job's own Teleport user: the author of its reviews. Without it the job cannot tell
    /// whether it already reviewed a request, so it approves nothing.
    public var reviewer: String?
    /// Users whose approvals count as automated besides the job and Teleport's approval bot. A
    /// request that already carries an approval by one of them gets no further automated approval
    /// from the job.
    public var automatedReviewers: [String]
    /// Whether an approval by Teleport's approval bot (the hosted plugins' and the built-in
    /// automatic reviews' user) counts as automated; dropping it is an explicit setting.
    public var countsApprovalBot: Bool
    /// When not empty, every requested role must match one of these (Teleport issue 37320).
    public var roles: [RoleMatcher]
    /// When set, requests asking for longer access are left to a person (seconds).
    public var maxDuration: Duration?
    /// When set, requests older than this (seconds since they were created) are left to a person,
    /// like Teleport's plugin, which tries approval only when the request arrives.
    public var maxRequestAge: Duration?
    /// Who counts as the requester in the on-call lists.
    public var identity: ApprovalIdentity
    /// The domain for `ApprovalIdentity.emailDomain`.
    public var emailDomain: String?

    public init(enabled: Bool = true, reviewer: String? = nil, automatedReviewers: [String] = [], countsApprovalBot: Bool = true,
                roles: [RoleMatcher] = [], maxDuration: Duration? = nil, maxRequestAge: Duration? = nil,
                identity: ApprovalIdentity = .user, emailDomain: String? = nil) {
        self.enabled = enabled
        self.reviewer = reviewer
        self.automatedReviewers = automatedReviewers
        self.countsApprovalBot = countsApprovalBot
        self.roles = roles
        self.maxDuration = maxDuration
        self.maxRequestAge = maxRequestAge
        self.identity = identity
        self.emailDomain = emailDomain
    }
}

/// Which address stands for the requester in the on-call lists (which hold e-mail addresses).
/// Whoever controls that address controls approvals, so anything wider than the user name is an
/// explicit choice.
public enum ApprovalIdentity: String, Sendable, Hashable, CaseIterable {
    /// The Teleport user name, as Teleport's plugin compares it (here without regard to case).
    case user
    /// The `email` trait of the user's manifest (the identity provider's claim, usually).
    case emailTrait = "email_trait"
    /// `<user>@<email_domain>` for user names that are not e-mail addresses.
    case emailDomain = "email_domain"
}
