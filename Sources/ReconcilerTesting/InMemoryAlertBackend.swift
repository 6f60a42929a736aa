import AccessReconciler
import Foundation

/// An in-memory alerting service with Opsgenie's semantics: at most one open alert per alias
/// (creating again increments `count`), notes, close, on-call lists. Records every write.
public actor InMemoryAlertBackend: AlertBackend {
    public private(set) var alerts: [String: Alert] = [:]
    public private(set) var notes: [String: [String]] = [:]
    public var onCall: [String: [String]]
    /// Schedules whose on-call lookup fails.
    public var failingSchedules: Set<String> = []
    /// Aliases whose lookup fails (with the rest of their batch), as a refused query would.
    public var failingLookups: Set<String> = []
    /// Aliases per lookup, as the port asks.
    public nonisolated let aliasBatchSize: Int
    public nonisolated let pluginName: String
    public nonisolated var tagLimit: Int { 50 }
    /// Every alias lookup, one entry per call.
    public private(set) var lookups: [[String]] = []
    /// When set, every call fails with this error.
    public var failure: (any Error)?
    /// Every write, in order (`create <alias>`, `note <id>`, `close <id>`).
    public private(set) var writes: [String] = []
    private var nextID = 1
    private let clockStart: Date

    public init(alerts: [Alert] = [], onCall: [String: [String]] = [:], clockStart: Date = Date(timeIntervalSince1970: 1_790_000_000),
                aliasBatchSize: Int = 20, pluginName: String = "opsgenie") {
        self.aliasBatchSize = aliasBatchSize
        self.pluginName = pluginName
        for alert in alerts { self.alerts[alert.id] = alert }
        self.onCall = onCall
        self.clockStart = clockStart
    }

    public func setFailure(_ error: (any Error)?) { failure = error }
    public func setFailingSchedules(_ schedules: Set<String>) { failingSchedules = schedules }
    public func setFailingLookups(_ aliases: Set<String>) { failingLookups = aliases }

    /// Closes an alert by hand, as a person in the Opsgenie UI would.
    public func closeByHand(_ id: String) { alerts[id]?.status = .closed }
    public func setOnCall(_ onCall: [String: [String]]) { self.onCall = onCall }

    public func listOpenAlerts(taggedWith tags: [String]) async throws -> [Alert] {
        try check()
        return alerts.values.filter { alert in alert.status == .open && tags.allSatisfy(alert.tags.contains) }.sorted { $0.id < $1.id }
    }

    public func openAlerts(aliases: [String]) async throws -> [Alert] {
        try check()
        if let failing = aliases.first(where: failingLookups.contains) { throw InMemoryError.unavailable("alert \(failing)") }
        lookups.append(aliases)
        let wanted = Set(aliases)
        return alerts.values.filter { $0.status == .open && wanted.contains($0.alias) }.sorted { $0.id < $1.id }.map { alert in
            var alert = alert
            alert.origin = .alias
            return alert
        }
    }

    public func createAlert(_ draft: AlertDraft) async throws -> String {
        try check()
        writes.append("create \(draft.alias)")
        if let existing = alerts.values.first(where: { $0.status == .open && $0.alias == draft.alias }) {
            alerts[existing.id]?.count += 1
            return existing.id
        }
        let id = "alert-\(nextID)"
        nextID += 1
        alerts[id] = Alert(id: id, alias: draft.alias, message: draft.message, status: .open, tags: draft.tags,
                           details: draft.details, responders: draft.responders,
                           createdAt: clockStart.addingTimeInterval(Double(nextID)), count: 1, origin: .tagged)
        return id
    }

    public func addNote(alertID: String, note: String) async throws {
        try check()
        guard alerts[alertID] != nil else { throw InMemoryError.notFound("alert \(alertID)") }
        writes.append("note \(alertID)")
        notes[alertID, default: []].append(note)
    }

    @discardableResult
    public func closeAlert(alertID: String, note: String) async throws -> Bool {
        try check()
        guard alerts[alertID] != nil else { throw InMemoryError.notFound("alert \(alertID)") }
        writes.append("close \(alertID)")
        guard alerts[alertID]?.status == .open else { return false }
        notes[alertID, default: []].append(note)
        alerts[alertID]?.status = .closed
        return true
    }

    public func onCallRecipients(schedule: String) async throws -> [String] {
        try check()
        if failingSchedules.contains(schedule) { throw InMemoryError.unavailable("schedule \(schedule)") }
        guard let recipients = onCall[schedule] else { throw InMemoryError.notFound("schedule \(schedule)") }
        return recipients
    }

    private func check() throws {
        if let failure { throw failure }
    }
}
