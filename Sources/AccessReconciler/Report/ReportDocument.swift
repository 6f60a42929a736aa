import Foundation

/// The JSON report (schema version 1). Field names and meanings are stable; new fields may be
/// added. Documented in the README.
public struct ReportDocument: Codable, Sendable, Hashable {
    public struct Counts: Codable, Sendable, Hashable {
        public var createAlert = 0
        public var approveRequest = 0
        public var addNote = 0
        public var closeAlert = 0
        public var findings = 0
        public var drift = 0
        public var failed = 0
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
        /// `planned` in plan; `done`, `skipped` or `failed` in apply.
        public var status: String
        public var detail: String?
    }

    public struct FindingEntry: Codable, Sendable, Hashable {
        public var kind: Finding.Kind
        public var drift: Bool
        public var requestId: String?
        public var alertId: String?
        public var message: String
    }

    public var schemaVersion = 1
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

    public init(_ report: RunReport) {
        let plan = report.finalPlan
        mode = report.mode
        cluster = plan.cluster
        generatedAt = ISO8601DateFormatter().string(from: report.plan.generatedAt)
        inSync = plan.isInSync
        rounds = report.rounds.count
        manifests = report.manifests
        let outcomes = report.outcomes
        let numbered = report.rounds.enumerated().flatMap { number, round in
            round.plan.actions.enumerated().map { index, action in
                (number + 1, action, index < round.outcomes.count ? round.outcomes[index] : nil)
            }
        }
        actions = numbered.map { round, action, outcome in
            var entry = Action(kind: action.kind, round: round, requestId: action.requestID, alertId: action.alertID, reason: action.reason,
                               status: outcome?.status.rawValue ?? "planned",
                               detail: outcome.flatMap { $0.detail.isEmpty ? nil : $0.detail })
            switch action {
            case let .createAlert(create):
                entry.alias = create.draft.alias
                entry.responders = create.draft.responders.map(\.description)
            case let .approveRequest(approve):
                entry.schedules = approve.schedules
            case let .closeAlert(close):
                entry.resolution = close.resolution
            case .addNote:
                break
            }
            return entry
        }
        findings = plan.findings.map {
            FindingEntry(kind: $0.kind, drift: $0.isDrift, requestId: $0.requestID, alertId: $0.alertID, message: $0.message)
        }
        var counts = Counts()
        for (_, action, _) in numbered {
            switch action.kind {
            case .createAlert: counts.createAlert += 1
            case .approveRequest: counts.approveRequest += 1
            case .addNote: counts.addNote += 1
            case .closeAlert: counts.closeAlert += 1
            }
        }
        counts.findings = plan.findings.count
        counts.drift = plan.findings.filter(\.isDrift).count
        counts.failed = outcomes.filter { $0.status == .failed }.count
        self.counts = counts
    }

    /// Pretty-printed JSON with sorted keys, so that reports diff cleanly.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
