import AccessReconciler
import Foundation
import HTTPSupport

/// `check`'s read-only calls to JSM Operations: the job's own listing query for one alert, the
/// schedule and team names resolved as a run resolves them, and the on-call lists with their
/// e-mail addresses (the users file first, then Jira's user API). Nothing here writes.
extension JSMAlertBackend: AlertServicePreflight {
    public var serviceName: String { AlertBackendID.jsm.serviceName }

    public func probeListing(taggedWith tags: [String]) async -> ProbeOutcome {
        let operation = "list open alerts tagged \(tags.joined(separator: ", ")) (one alert)"
        do {
            let response = try await transport.send(.init(method: "GET", url: listingURL(query: Self.openAlertsQuery(taggedWith: tags), offset: 0, size: 1),
                                                          bucket: .alertRead, operation: operation))
            _ = try decode(JSMAlertPage.self, response, operation: operation)
            return .accepted
        } catch let error as APIError {
            return ProbeOutcome(httpStatus: error.httpStatus, error.description)
        } catch {
            return .failed("\(error)")
        }
    }

    public func invisibleResponders(_ responders: [Responder]) async throws -> [Responder: String] {
        try await unknownResponders(responders)
    }

    public func onCallForCheck(schedules: [String]) async -> [OnCallAnswer] {
        await onCallRecipients(schedules: schedules)
    }

    public var writePermissionAdvice: String {
        "in JSM, check that the account \(configuration.user) may create and close alerts for the teams the roles route to (a member of each team, or an Operations admin); the first `apply` shows any refusal as a failed write"
    }

    public var hiddenAddressAdvice: String {
        let file = configuration.knownEmails.isEmpty
            ? "no jsm.users_file lists addresses (it is not set, or empty)"
            : "jsm.users_file lists \(configuration.knownEmails.count) address(es), not these"
        return "\(file): add each account id with its address to jsm.users_file (\(JSMSettings.settings.flag("jsm.users_file"))), or let the account \(configuration.user) browse users and ask the people to make their address visible"
    }
}

extension JSMAlertBackend {
    /// `getOnCalls` states no default for `date` (`jsm-ops.v3.json`: "The date for which the
    /// schedule's on-calls are requested"); the job sends none and takes the answer as the list
    /// for now. Here each auto-approval schedule's list, as the run reads it (already read for the
    /// on-call line), is compared with the list for `date` = now.
    public func assumptionLines(schedules: [String], now: Date) async -> [CheckLine] {
        guard !schedules.isEmpty else { return [] }
        var differing: [String] = []
        var failures: [String] = []
        for schedule in schedules {
            do {
                let withoutDate = try await onCallAccounts(schedule)
                let atNow = try await onCallAccounts(schedule, at: now)
                if Set(withoutDate) != Set(atNow) { differing.append("\(schedule) (\(withoutDate.count) without a date, \(atNow.count) for now)") }
            } catch {
                failures.append("\(schedule): \(error)")
            }
        }
        if !differing.isEmpty {
            return [CheckLine(.alerting, "alerting.on-call-now", .failed,
                              "JSM answers another on-call list without a date than for now: \(differing.joined(separator: "; ")); the job sends no date, so approvals would rest on the wrong list",
                              fix: "run check again (a rotation may have changed between the two reads); if it stays, set \(ReconcilerSettings.flag("auto_approval.enabled")) false and report it to the project")]
        }
        if !failures.isEmpty {
            return [CheckLine(.alerting, "alerting.on-call-now", .undecided, "could not compare the on-call lists with and without a date: \(failures.joined(separator: "; "))",
                              fix: "compare, on the schedules' pages in JSM, who is on call now with the approvals `plan` proposes")]
        }
        return [CheckLine(.alerting, "alerting.on-call-now", .passed,
                          "the on-call list without a date is the list for now (\(schedules.count) schedule(s) read both ways)")]
    }
}
