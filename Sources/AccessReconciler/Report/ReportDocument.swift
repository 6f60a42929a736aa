import Foundation

/// The JSON report (schema version 2). Field names and meanings are stable; new fields may be
/// added. Documented in the README, with what changed from version 1.
public struct ReportDocument: Codable, Sendable, Hashable {
    /// What became of a planned write.
    public enum Status: String, Codable, Sendable, Hashable, CaseIterable {
        /// Not carried out: `plan`, or still needed after `apply`'s last look.
        case planned
        case done, skipped, failed

        init(_ outcome: ActionOutcome?) {
            switch outcome?.status {
            case nil: self = .planned
            case .done?: self = .done
            case .skipped?: self = .skipped
            case .failed?: self = .failed
            }
        }
    }

    /// Writes by status, each by kind (every kind present, zero when none), and the findings of
    /// the last look. `done` counts writes that were carried out, and nothing else.
    public struct Counts: Codable, Sendable, Hashable {
        public var done: [String: Int]
        public var skipped: [String: Int]
        public var failed: [String: Int]
        /// In `plan`, the writes the plan holds; in `apply`, those still needed after the last look.
        public var planned: [String: Int]
        public var findings = 0
        public var drift = 0

        init() {
            let zero = Dictionary(uniqueKeysWithValues: PlannedAction.Kind.allCases.map { ($0.rawValue, 0) })
            (done, skipped, failed, planned) = (zero, zero, zero, zero)
        }

        /// The counts of a run, without the document's list of actions (the metrics need only these).
        public init(_ report: RunReport) {
            self.init()
            for round in report.rounds {
                for (index, action) in round.plan.actions.enumerated() {
                    self[Status(index < round.outcomes.count ? round.outcomes[index] : nil)][action.kind.rawValue, default: 0] += 1
                }
            }
            findings = report.finalPlan.findings.count
            drift = report.finalPlan.findings.filter(\.isDrift).count
        }

        /// The count of one kind with one status.
        public func count(_ kind: PlannedAction.Kind, _ status: Status) -> Int { self[status][kind.rawValue] ?? 0 }

        /// Every write with one status.
        public func total(_ status: Status) -> Int { self[status].values.reduce(0, +) }

        subscript(status: Status) -> [String: Int] {
            get {
                switch status {
                case .done: return done
                case .skipped: return skipped
                case .failed: return failed
                case .planned: return planned
                }
            }
            set {
                switch status {
                case .done: done = newValue
                case .skipped: skipped = newValue
                case .failed: failed = newValue
                case .planned: planned = newValue
                }
            }
        }
    }

    public struct Action: Codable, Sendable, Hashable {
        public var kind: PlannedAction.Kind
        /// Which look planned it (1 in `plan`; `apply` looks again after each round of writes).
        public var round: Int
        public var requestId: String
        public var alertId: String?
        public var alias: String?
        public var responders: [String]?
        public var resolution: Resolution?
        public var schedules: [String]?
        public var reason: String
        public var status: Status
        public var detail: String?
    }

    public struct FindingEntry: Codable, Sendable, Hashable {
        public var kind: Finding.Kind
        public var drift: Bool
        public var requestId: String?
        public var alertId: String?
        public var message: String
    }

    public var schemaVersion = 2
    public var mode: RunReport.Mode
    public var cluster: String
    /// RFC 3339, UTC.
    public var generatedAt: String
    public var inSync: Bool
    /// Looks at both sides this run made.
    public var rounds: Int
    public var counts: Counts
    public var actions: [Action]
    public var findings: [FindingEntry]
    public var manifests: ManifestSummary
    /// Why the run stopped starting writes early (its deadline, SIGTERM); absent otherwise.
    public var stoppedBecause: String?
    /// Where the alert backend's pacing of each rate-limit bucket ended, sorted by bucket.
    public var pacing: [BucketPacing]?
    /// `apply --plan`: the saved plan, and its actions skipped as stale; absent otherwise.
    public var savedPlan: SavedPlanEntry?

    public struct SavedPlanEntry: Codable, Sendable, Hashable {
        public var file: String
        /// RFC 3339, UTC: when the saved plan's look was made.
        public var generatedAt: String
        /// Actions the saved plan held.
        public var actions: Int
        /// Saved actions the fresh look no longer planned; not carried out.
        public var stale: [SavedPlan.Action]
    }

    public init(_ report: RunReport) {
        self.init(report, actions: true)
    }

    /// The document; without `actions`, its list of actions is left empty (the streamed JSON
    /// writes them one at a time).
    init(_ report: RunReport, actions withActions: Bool) {
        let plan = report.finalPlan
        mode = report.mode
        cluster = plan.cluster
        generatedAt = ISO8601DateFormatter().string(from: report.plan.generatedAt)
        inSync = plan.isInSync
        rounds = report.rounds.count
        manifests = report.manifests
        stoppedBecause = report.stoppedBecause
        pacing = report.pacing.isEmpty ? nil : report.pacing.sorted { $0.bucket < $1.bucket }
        savedPlan = report.savedPlan.map {
            SavedPlanEntry(file: $0.source, generatedAt: ISO8601DateFormatter().string(from: $0.generatedAt), actions: $0.actions, stale: $0.stale)
        }
        var entries: [Action] = []
        if withActions { Self.forEachAction(of: report) { entries.append($0) } }
        actions = entries
        findings = plan.findings.map {
            FindingEntry(kind: $0.kind, drift: $0.isDrift, requestId: $0.requestID, alertId: $0.alertID, message: $0.message)
        }
        counts = Counts(report)
    }

    /// Each round's actions in order, with the outcome they met.
    static func forEachAction(of report: RunReport, _ body: (Action) throws -> Void) rethrows {
        for (number, round) in report.rounds.enumerated() {
            for (index, action) in round.plan.actions.enumerated() {
                try body(entry(action, round: number + 1, outcome: index < round.outcomes.count ? round.outcomes[index] : nil))
            }
        }
    }

    private static func entry(_ action: PlannedAction, round: Int, outcome: ActionOutcome?) -> Action {
        let described = SavedPlan.Action(action)
        return Action(kind: described.kind, round: round, requestId: described.requestId, alertId: described.alertId, alias: described.alias,
                      responders: described.responders, resolution: described.resolution, schedules: described.schedules,
                      reason: described.reason, status: Status(outcome), detail: outcome.flatMap { $0.detail.isEmpty ? nil : $0.detail })
    }

    /// Pretty-printed JSON with sorted keys, so that reports diff cleanly.
    public func json() throws -> String {
        String(decoding: try jsonData(), as: UTF8.self)
    }

    /// The same as bytes: what the command writes, without the two copies a `String` between the
    /// encoder and standard output would take (a catch-up's report runs to tens of megabytes).
    public func jsonData() throws -> Data {
        try Self.encoder().encode(self)
    }

    /// The encoder of every form of the report: pretty-printed, sorted keys, slashes as they are.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
