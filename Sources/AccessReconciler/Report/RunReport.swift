import Foundation

/// Everything a run has to tell: each round's plan and, in `apply`, what became of it; and what
/// was read.
public struct RunReport: Sendable {
    public enum Mode: String, Sendable, Codable {
        case plan, apply
    }

    /// One look at both sides, and in `apply` the writes that followed it.
    public struct Round: Sendable {
        public var plan: Plan
        /// One outcome per action of the plan; empty when the plan was not carried out.
        public var outcomes: [ActionOutcome]

        public init(plan: Plan, outcomes: [ActionOutcome] = []) {
            self.plan = plan
            self.outcomes = outcomes
        }
    }

    public var mode: Mode
    public var rounds: [Round]
    public var manifests: ManifestSummary
    /// Why the run stopped starting writes early (its deadline, a termination signal), if it did.
    public var stoppedBecause: String?
    /// The alert backend's pacing at the end of the run.
    public var pacing: [BucketPacing] = []
    /// The alert backend's calls by endpoint, for the metrics.
    public var apiCalls: [EndpointCalls] = []
    /// In `apply --plan`: the saved plan, and its actions that the fresh look no longer plans.
    public var savedPlan: SavedPlanSummary?

    /// The saved plan an `apply --plan` run carried out.
    public struct SavedPlanSummary: Sendable, Hashable {
        public var source: String
        public var generatedAt: Date
        /// Saved actions, stale ones included.
        public var actions: Int
        /// Saved actions skipped because the fresh look no longer plans them.
        public var stale: [SavedPlan.Action]
    }

    public init(mode: Mode, rounds: [Round], manifests: ManifestSummary, stoppedBecause: String? = nil) {
        precondition(!rounds.isEmpty, "a run has at least one look")
        self.mode = mode
        self.rounds = rounds
        self.manifests = manifests
        self.stoppedBecause = stoppedBecause
    }

    public init(mode: Mode, plan: Plan, outcomes: [ActionOutcome] = [], manifests: ManifestSummary) {
        self.init(mode: mode, rounds: [Round(plan: plan, outcomes: outcomes)], manifests: manifests)
    }

    /// The first look's plan: what `plan` shows and what `apply` set out to do.
    public var plan: Plan { rounds[0].plan }

    /// The last look: after `apply`, what is still different.
    public var finalPlan: Plan { rounds[rounds.count - 1].plan }

    /// Every outcome of every round, in order.
    public var outcomes: [ActionOutcome] { rounds.flatMap(\.outcomes) }

    /// Whether any write failed.
    public var hasFailures: Bool { outcomes.contains { $0.status == .failed } }

    /// The exit status scripts and cron read: 0 in sync or applied, 2 drift (with
    /// `--detailed-exitcode`: `plan`, and `apply --plan` when differences remain), 1 a failed write,
    /// writes left after the last round (`apply` without a saved plan), or a request that could not
    /// be looked up.
    public func exitStatus(detailedExitCode: Bool) -> ExitStatus {
        if finalPlan.hasUnknowns || stoppedBecause != nil { return .failure }
        if mode == .apply, savedPlan != nil {
            // Every saved action done or stale is success; what the plan did not hold may remain.
            if hasFailures { return .failure }
            return detailedExitCode && !finalPlan.isInSync ? .drift : .success
        }
        switch mode {
        case .plan: return detailedExitCode && !plan.isInSync ? .drift : .success
        case .apply: return hasFailures || !finalPlan.actions.isEmpty ? .failure : .success
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
