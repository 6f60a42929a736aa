import Foundation

/// A plan as `plan --out` saves it, for `apply --plan` to carry out after a review: a versioned
/// JSON document naming each write by kind, request and alert. It holds no secret and nothing that
/// `apply --plan` trusts blindly: every saved action is matched against a fresh look first, and
/// only a write that the fresh look plans too, under every rule of the day, is made.
public struct SavedPlan: Codable, Sendable, Hashable {
    /// The `format` of every saved plan; anything else is not one.
    public static let formatName = "access-reconciler-plan"
    /// The version this build writes and the newest it reads.
    public static let currentVersion = 1

    /// One saved write: what identifies it, and what a reviewer reads.
    public struct Action: Codable, Sendable, Hashable {
        public var kind: PlannedAction.Kind
        public var requestId: String
        /// The alert the write touches, when it exists already.
        public var alertId: String?
        /// The new alert's alias (`createAlert`).
        public var alias: String?
        public var responders: [String]?
        /// Where the requester was found on call (`approveRequest`).
        public var schedules: [String]?
        public var resolution: Resolution?
        public var reason: String

        public init(_ action: PlannedAction) {
            kind = action.kind
            requestId = action.requestID
            alertId = action.alertID
            reason = action.reason
            switch action {
            case let .createAlert(create):
                alias = create.draft.alias
                responders = create.draft.responders.map(\.description)
            case let .approveRequest(approve):
                schedules = approve.schedules
            case let .closeAlert(close):
                resolution = close.resolution
            case .addNote, .recordAlert, .recordResolution:
                break
            }
        }

        /// What a fresh action must share with this one to be the same write: kind, request, and
        /// the alert (its id, or the alias of one to create).
        var match: Match { Match(kind: kind, requestID: requestId, alert: alertId ?? alias ?? "") }
    }

    struct Match: Hashable {
        var kind: PlannedAction.Kind
        var requestID: String
        var alert: String

        init(kind: PlannedAction.Kind, requestID: String, alert: String) {
            self.kind = kind
            self.requestID = requestID
            self.alert = alert
        }

        init(_ action: PlannedAction) {
            var alert = action.alertID ?? ""
            if case let .createAlert(create) = action { alert = create.draft.alias }
            self.init(kind: action.kind, requestID: action.requestID, alert: alert)
        }
    }

    public var format = Self.formatName
    public var version = Self.currentVersion
    /// The Teleport cluster the plan was made for.
    public var cluster: String
    /// `opsgenie` or `jsm`: alert ids of one mean nothing to the other.
    public var alertBackend: AlertBackendID
    /// When the look behind the plan was made (RFC 3339, UTC).
    public var generatedAt: Date
    public var actions: [Action]
    /// What the look found for people to act on, for the reviewer; not carried out.
    public var findings: [ReportDocument.FindingEntry]

    public init(_ plan: Plan, alertBackend: AlertBackendID) {
        cluster = plan.cluster
        self.alertBackend = alertBackend
        generatedAt = plan.generatedAt
        actions = plan.actions.map(Action.init)
        findings = plan.findings.map {
            ReportDocument.FindingEntry(kind: $0.kind, drift: $0.isDrift, requestId: $0.requestID, alertId: $0.alertID, message: $0.message)
        }
    }

    /// The fresh plan's writes that this plan holds, in the fresh plan's order, and the saved
    /// actions that the fresh look no longer plans (stale: the request was approved meanwhile, the
    /// alert closed, the requester went off call). Each saved action matches at most one fresh one;
    /// a fresh action the saved plan does not hold is left out.
    public func select(from fresh: Plan) -> (plan: Plan, stale: [Action]) {
        var remaining: [Match: [Int]] = [:]
        for (index, action) in actions.enumerated() { remaining[action.match, default: []].append(index) }
        var selected: [PlannedAction] = []
        for action in fresh.actions {
            let match = Match(action)
            guard var indices = remaining[match], !indices.isEmpty else { continue }
            indices.removeFirst()
            remaining[match] = indices
            selected.append(action)
        }
        let stale = remaining.values.flatMap { $0 }.sorted().map { actions[$0] }
        var plan = fresh
        plan.actions = selected
        return (plan, stale)
    }

    /// Refuses a plan made for another cluster than the one the first look saw.
    public func checkCluster(_ cluster: String, source: String) throws {
        if cluster != self.cluster {
            throw SavedPlanError.otherCluster(file: source, saved: self.cluster, live: cluster)
        }
    }

    /// Refuses a plan older than `maxAge` at `now` (or made in the future, beyond a minute of skew).
    public func checkAge(now: Date, maxAge: Duration, source: String) throws {
        let age = now.duration(since: generatedAt)
        if age > maxAge { throw SavedPlanError.tooOld(file: source, age: age, maxAge: maxAge) }
        if age < .seconds(-60) { throw SavedPlanError.fromTheFuture(file: source, generatedAt: generatedAt) }
    }

    /// Pretty-printed, sorted keys, dates in RFC 3339.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Writes the plan to `path` whole or not at all: a temporary file beside it, then a rename.
    /// Mode 0600: a plan names requesters, their reasons and who is on call.
    public func write(to path: String) throws {
        try AtomicFile.write(try json(), to: path, permissions: 0o600)
    }

    /// Reads a saved plan, refusing anything that is not one, or is of a newer version.
    public static func read(path: String) throws -> SavedPlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SavedPlanError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SavedPlanError.invalid(file: path, problem: "not JSON")
        }
        guard header.format == formatName else {
            throw SavedPlanError.invalid(file: path, problem: "`format` is not \"\(formatName)\": not a plan saved by `plan --out`")
        }
        guard let version = header.version, version >= 1, version <= currentVersion else {
            throw SavedPlanError.invalid(file: path, problem: "`version` \(header.version.map(String.init) ?? "missing") is not one this build reads (1 to \(currentVersion))")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(SavedPlan.self, from: data)
        } catch let error as DecodingError {
            throw SavedPlanError.invalid(file: path, problem: Self.describe(error))
        }
    }

    /// The field a decoding error is about, in the document's own names.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case let .keyNotFound(key, context): return "`\(path(context.codingPath + [key]))` is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return "`\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a saved plan is refused. Nothing is written then.
public enum SavedPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case invalid(file: String, problem: String)
    case otherCluster(file: String, saved: String, live: String)
    case otherBackend(file: String, saved: AlertBackendID, configured: AlertBackendID)
    case tooOld(file: String, age: Duration, maxAge: Duration)
    case fromTheFuture(file: String, generatedAt: Date)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the saved plan: \(reason)"
        case let .invalid(file, problem):
            return "\(file): \(problem)"
        case let .otherCluster(file, saved, live):
            return "\(file): the plan is for cluster \"\(saved)\", but Teleport here is cluster \"\(live)\"; nothing was changed"
        case let .otherBackend(file, saved, configured):
            return "\(file): the plan is for alert backend \(saved), but this run uses \(configured); nothing was changed"
        case let .tooOld(file, age, maxAge):
            return "\(file): the plan was made \(Int(age.timeInterval / 60)) minutes ago, more than \(ReconcilerSettings.flag("plan_max_age")) (\(Int(maxAge.timeInterval / 60)) minutes); make a new one with `plan --out`. Nothing was changed"
        case let .fromTheFuture(file, generatedAt):
            return "\(file): the plan says it was made at \(ISO8601DateFormatter().string(from: generatedAt)), later than now; check the clocks. Nothing was changed"
        }
    }
}
