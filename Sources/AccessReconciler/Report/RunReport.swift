/// Everything a run has to tell: the plan, what became of it in `apply`, and what was read.
public struct RunReport: Sendable {
    public enum Mode: String, Sendable, Codable {
        case plan, apply
    }

    public var mode: Mode
    public var plan: Plan
    /// One outcome per action in `apply`; empty in `plan`.
    public var outcomes: [ActionOutcome]
    public var manifests: ManifestSummary

    public init(mode: Mode, plan: Plan, outcomes: [ActionOutcome] = [], manifests: ManifestSummary) {
        self.mode = mode
        self.plan = plan
        self.outcomes = outcomes
        self.manifests = manifests
    }

    /// Whether any write failed.
    public var hasFailures: Bool { outcomes.contains { $0.status == .failed } }

    /// The exit status scripts and cron read: 0 in sync or applied, 2 drift (with
    /// `--detailed-exitcode`, plan only), 1 a failed write.
    public func exitStatus(detailedExitCode: Bool) -> ExitStatus {
        switch mode {
        case .plan: return detailedExitCode && !plan.isInSync ? .drift : .success
        case .apply: return hasFailures ? .failure : .success
        }
    }
}

/// What the manifests held, for the report's header.
public struct ManifestSummary: Sendable, Hashable, Codable {
    public var roles: Int
    public var users: Int
    public var skipped: [String: Int]

    public init(_ manifests: ManifestSet) {
        roles = manifests.roles.count
        users = manifests.users.count
        skipped = manifests.skippedKinds
    }
}

/// The process exit codes.
public enum ExitStatus: Int32, Sendable {
    /// In sync, or everything applied.
    case success = 0
    /// An error: bad input, a side unreachable, or a failed write.
    case failure = 1
    /// `plan --detailed-exitcode` found something to change.
    case drift = 2
}
