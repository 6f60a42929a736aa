import Foundation

/// What `check` asks of the alert service beyond `AlertBackend`: read-only probes. Each backend
/// module implements it; the answers are classified by the client, which knows its service.
public protocol AlertServicePreflight: AlertBackend {
    /// The service's name for headings (`Opsgenie`, `JSM Operations`).
    var serviceName: String { get }
    /// The job's own listing query for open alerts with `tags`, exactly as a run sends it, for one
    /// alert only: whether the credentials are accepted and the query is understood.
    func probeListing(taggedWith tags: [String]) async -> ProbeOutcome
    /// The schedules and teams among `responders` that the service does not show the job, with why.
    /// Throws when it cannot tell.
    func invisibleResponders(_ responders: [Responder]) async throws -> [Responder: String]
    /// Who is on call in each schedule, as an auto-approval reads it; accounts that cannot be
    /// named by address are in `unnamed`.
    func onCallForCheck(schedules: [String]) async -> [OnCallAnswer]
    /// The write permissions `check` cannot see without writing, and how to check them by hand.
    var writePermissionAdvice: String { get }
    /// The settings that can name accounts the service hides (JSM's users file), for the fix.
    var hiddenAddressAdvice: String { get }
    /// Lines for the service's undocumented behaviour that the job relies on and that can be
    /// tested read-only against the user's own site (JSM: the on-call list without a `date` is
    /// the list for now), for the auto-approval `schedules`.
    func assumptionLines(schedules: [String], now: Date) async -> [CheckLine]
}

extension AlertServicePreflight {
    /// A service that names on-call users by address answers schedule by schedule.
    public func onCallForCheck(schedules: [String]) async -> [OnCallAnswer] {
        await OnCallAnswer.gather(schedules) { try await onCallRecipients(schedule: $0) }
    }

    public var hiddenAddressAdvice: String { "" }

    /// A service whose documents cover what the job relies on has nothing more to test.
    public func assumptionLines(schedules: [String], now: Date) async -> [CheckLine] { [] }
}
