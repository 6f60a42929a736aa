import Foundation
import Logging

/// Carries out a plan through the two ports, one action after another, re-checking before each
/// approval that the request is still pending. It goes on past independent failures; a failed
/// create or close stops the later actions of the same request. Plugin data is kept under the
/// Opsgenie plugin's keys so that Teleport's own plugin and the job see the same bookkeeping.
public struct Applier: Sendable {
    public let requests: any AccessRequestPort
    public let alerts: any AlertBackend
    let logger: Logger

    public init(requests: any AccessRequestPort, alerts: any AlertBackend,
                logger: Logger = Logger(label: "access-reconciler.apply")) {
        self.requests = requests
        self.alerts = alerts
        self.logger = logger
    }

    public func apply(_ plan: Plan, now: Date) async -> [ActionOutcome] {
        var outcomes: [ActionOutcome] = []
        var failedRequests = Set<String>()
        for action in plan.actions {
            if failedRequests.contains(action.requestID) {
                outcomes.append(ActionOutcome(action: action, status: .skipped, detail: "an earlier action on this request failed"))
                continue
            }
            let outcome: ActionOutcome
            do {
                outcome = try await perform(action, now: now)
            } catch {
                outcome = ActionOutcome(action: action, status: .failed, detail: "\(error)")
                failedRequests.insert(action.requestID)
            }
            logger.info("action", metadata: ["kind": "\(action.kind.rawValue)", "request": "\(action.requestID)",
                                             "status": "\(outcome.status.rawValue)", "detail": "\(outcome.detail)"])
            outcomes.append(outcome)
        }
        return outcomes
    }

    private func perform(_ action: PlannedAction, now: Date) async throws -> ActionOutcome {
        let plugin = PluginDataKey.opsgeniePlugin
        switch action {
        case let .createAlert(create):
            let alertID = try await alerts.createAlert(create.draft)
            let details = create.draft.details
            try await requests.updatePluginData(
                requestID: create.requestID, plugin: plugin,
                set: [PluginDataKey.alertID: alertID, PluginDataKey.user: details[AlertDetails.user] ?? "",
                      PluginDataKey.roles: details[AlertDetails.roles] ?? "",
                      PluginDataKey.created: String(Int(now.timeIntervalSince1970))],
                expect: [PluginDataKey.alertID: ""])
            return ActionOutcome(action: action, status: .done, detail: "alert \(alertID)")
        case let .approveRequest(approve):
            guard let current = try await requests.accessRequest(id: approve.requestID), current.state == .pending else {
                return ActionOutcome(action: action, status: .skipped, detail: "the request is no longer pending")
            }
            let state = try await requests.submitReview(requestID: approve.requestID, proposedState: .approved, reason: approve.reviewReason)
            return ActionOutcome(action: action, status: .done, detail: "request is now \(state)")
        case let .addNote(note):
            try await alerts.addNote(alertID: note.alertID, note: note.note)
            let posted = note.reviewsCountAfter
            try await requests.modifyPluginData(requestID: note.requestID, plugin: plugin) { current in
                (Int(current[PluginDataKey.reviewsCount] ?? "") ?? 0) >= posted ? nil : [PluginDataKey.reviewsCount: String(posted)]
            }
            return ActionOutcome(action: action, status: .done)
        case let .closeAlert(close):
            try await alerts.closeAlert(alertID: close.alertID, note: close.note)
            // A request Teleport already deleted may have no plugin data left to record in.
            do {
                let resolution = [PluginDataKey.resolution: close.resolution.rawValue, PluginDataKey.resolveReason: close.resolveReason]
                try await requests.modifyPluginData(requestID: close.requestID, plugin: plugin) { _ in resolution }
            } catch is PluginDataNotFound {
                return ActionOutcome(action: action, status: .done, detail: "closed; the request's plugin data is gone")
            }
            return ActionOutcome(action: action, status: .done)
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
