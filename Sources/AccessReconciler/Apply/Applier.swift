import Foundation
import Logging

/// Carries out a plan through the two ports. The actions of one request run in order (create,
/// approve, notes, close) and stop at the first failure; different requests run concurrently: up
/// to `requestsInFlight` are under way, and `concurrency` of them hold a write slot at a time. A
/// request waiting for the alert backend to process its write holds no slot (`ProcessingWait`), so
/// the API's pace decides throughput. Before an approval the request is read again: it must still be
/// pending, and every rule of the approval policy is applied again to what is read (a review that
/// came in since the look, a second machine's approval in a race); a close finds out whether the
/// alert was still open. Plugin data is kept in the
/// backend's plugin entry, under the keys of Teleport's Opsgenie plugin, so that Teleport's own
/// plugin and the job see the same bookkeeping.
public struct Applier: Sendable {
    public let requests: any AccessRequestPort
    public let alerts: any AlertBackend
    /// The policy whose hold-back rules an approval must still pass when the request is re-read.
    public let approval: AutoApprovalPolicy
    public let concurrency: Int
    /// Requests under way at once (most of them waiting for their writes to be processed): enough
    /// for 25 writes a second that each take up to ten seconds to be processed and answered.
    public static let requestsInFlight = 256
    /// Once it is requested, no further write starts.
    public let stop: RunStop
    let logger: Logger

    public init(requests: any AccessRequestPort, alerts: any AlertBackend, approval: AutoApprovalPolicy = AutoApprovalPolicy(),
                concurrency: Int = 16, stop: RunStop = RunStop(), logger: Logger = Logger(label: "access-reconciler.apply")) {
        self.requests = requests
        self.alerts = alerts
        self.approval = approval
        self.concurrency = max(1, concurrency)
        self.stop = stop
        self.logger = logger
    }

    /// One outcome per action, in the plan's order; `now` is the time the approval policy's limits
    /// are measured at.
    public func apply(_ plan: Plan, now: Date = Date()) async -> [ActionOutcome] {
        var groups: [[(index: Int, action: PlannedAction)]] = []
        var groupOfRequest: [String: Int] = [:]
        for (index, action) in plan.actions.enumerated() {
            if let group = groupOfRequest[action.requestID] {
                groups[group].append((index, action))
            } else {
                groupOfRequest[action.requestID] = groups.count
                groups.append([(index, action)])
            }
        }
        var outcomes = [ActionOutcome?](repeating: nil, count: plan.actions.count)
        let slots = WriteSlots(concurrency)
        await withTaskGroup(of: [(Int, ActionOutcome)].self) { group in
            var next = 0
            func startNext() {
                guard next < groups.count else { return }
                let work = groups[next]
                next += 1
                group.addTask {
                    await slots.acquire(resuming: false)
                    let results = await ProcessingWait.$slots.withValue(slots) { await applyInOrder(work, now: now) }
                    await slots.release()
                    return results
                }
            }
            for _ in 0..<min(Self.requestsInFlight, groups.count) { startNext() }
            for await finished in group {
                for (index, outcome) in finished { outcomes[index] = outcome }
                startNext()
            }
        }
        return outcomes.map { $0! }
    }

    private func applyInOrder(_ work: [(index: Int, action: PlannedAction)], now: Date) async -> [(Int, ActionOutcome)] {
        var results: [(Int, ActionOutcome)] = []
        var failed = false
        for (index, action) in work {
            if failed {
                results.append((index, ActionOutcome(action: action, status: .skipped, detail: "an earlier action on this request failed")))
                continue
            }
            if let reason = stop.reason {
                results.append((index, ActionOutcome(action: action, status: .skipped, detail: "not started: \(reason); the next run continues")))
                continue
            }
            let outcome: ActionOutcome
            do {
                outcome = try await perform(action, now: now)
            } catch {
                // Cut at the run's end: the write may or may not have been done; the next run's
                // look tells (a create is looked up by its alias before it is sent again).
                let detail = Task.isCancelled
                    ? "cut before its answer came: \(stop.reason ?? "the run was stopped"); the next run finds out whether it was done"
                    : "\(error)"
                outcome = ActionOutcome(action: action, status: .failed, detail: detail)
                failed = true
            }
            logger.info("action", metadata: ["kind": "\(action.kind.rawValue)", "request": "\(action.requestID)",
                                             "status": "\(outcome.status.rawValue)", "detail": "\(outcome.detail)"])
            results.append((index, outcome))
        }
        return results
    }

    private func perform(_ action: PlannedAction, now: Date) async throws -> ActionOutcome {
        let plugin = alerts.pluginName
        switch action {
        case let .createAlert(create):
            let alertID = try await alerts.createAlert(create.draft)
            var set = create.record
            set[PluginDataKey.alertID] = alertID
            do {
                try await requests.updatePluginData(requestID: create.requestID, plugin: plugin, set: set.filter { !$0.value.isEmpty },
                                                    expect: [PluginDataKey.alertID: ""])
            } catch is PluginDataConflict {
                // Teleport's plugin recorded an alert meanwhile; the alias made both the same alert
                // or the next look will show the difference. Its record is kept.
                return ActionOutcome(action: action, status: .done, detail: "alert \(alertID); plugin data already names an alert")
            }
            return ActionOutcome(action: action, status: .done, detail: "alert \(alertID)")
        case let .recordAlert(record):
            do {
                try await requests.updatePluginData(requestID: record.requestID, plugin: plugin, set: record.set,
                                                    expect: [PluginDataKey.alertID: ""])
            } catch is PluginDataConflict {
                return ActionOutcome(action: action, status: .skipped, detail: "plugin data named an alert meanwhile")
            }
            return ActionOutcome(action: action, status: .done, detail: "alert \(record.alertID) recorded")
        case let .approveRequest(approve):
            guard let current = try await requests.accessRequest(id: approve.requestID), current.state == .pending else {
                return ActionOutcome(action: action, status: .skipped, detail: "the request is no longer pending")
            }
            if let reviewer = approval.reviewer, let reason = approval.withheldReason(current, reviewer: reviewer, now: now) {
                return ActionOutcome(action: action, status: .skipped, detail: "not approved when read again: \(reason)")
            }
            let state: RequestState
            do {
                state = try await requests.submitReview(requestID: approve.requestID, proposedState: .approved, reason: approve.reviewReason)
            } catch let refused as ReviewRefused {
                // Asking again would be refused again: record it, so that later runs report it.
                try await requests.updatePluginData(requestID: approve.requestID, plugin: alerts.pluginName,
                                                    set: [PluginDataKey.approvalRefused: String(refused.reason.prefix(500))], expect: [:])
                return ActionOutcome(action: action, status: .skipped, detail: "\(refused); recorded, not asked again")
            }
            return ActionOutcome(action: action, status: .done, detail: "request is now \(state)")
        case let .addNote(note):
            // Reserve the note before posting it, as Teleport's plugin does: `reviews_count` moves
            // from n-1 to n by compare-and-swap, and only the writer that moved it posts. Two runs
            // racing (or the job and the plugin) never post the same note twice; a crash between
            // the two steps loses that note instead.
            let posted = note.reviewsCountAfter
            let before = [PluginDataKey.reviewsCount: posted > 1 ? String(posted - 1) : ""]
            let reserved = try await requests.modifyPluginData(requestID: note.requestID, plugin: plugin, assuming: before) { current in
                guard (Int(current[PluginDataKey.reviewsCount] ?? "") ?? 0) < posted else { return nil }
                return [PluginDataKey.reviewsCount: String(posted)]
            }
            guard reserved else {
                return ActionOutcome(action: action, status: .skipped, detail: "the note was already posted (reviews_count reached \(posted) meanwhile)")
            }
            try await alerts.addNote(alertID: note.alertID, note: note.note)
            return ActionOutcome(action: action, status: .done)
        case let .closeAlert(close):
            let closedNow = try await alerts.closeAlert(alertID: close.alertID, note: close.note)
            try await recordResolution(close.requestID, close.record)
            return closedNow
                ? ActionOutcome(action: action, status: .done)
                : ActionOutcome(action: action, status: .skipped, detail: "the alert was closed already")
        case let .recordResolution(record):
            try await recordResolution(record.requestID, record.set)
            return ActionOutcome(action: action, status: .done)
        }
    }

    /// Writes the resolution record, unless another run (or Teleport's plugin) wrote it first or
    /// Teleport has already deleted the request with its plugin data.
    private func recordResolution(_ requestID: String, _ set: [String: String]) async throws {
        do {
            try await requests.updatePluginData(requestID: requestID, plugin: alerts.pluginName, set: set,
                                                expect: [PluginDataKey.reconcilerChecked: ""])
        } catch is PluginDataConflict {
            // Recorded meanwhile: what this write would say is said.
        } catch is PluginDataNotFound {
            // A request Teleport already deleted may have no plugin data left to record in.
        }
    }
}

/// Plugin data could not be written because the request and its plugin data no longer exist.
public struct PluginDataNotFound: Error, Sendable, CustomStringConvertible {
    public var requestID: String

    public init(requestID: String) {
        self.requestID = requestID
    }

    public var description: String { "request \(requestID) and its plugin data no longer exist" }
}
