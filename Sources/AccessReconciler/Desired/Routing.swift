/// Where a request's alert goes and which schedules may auto-approve it, from its annotations and
/// the configured defaults, as Teleport's plugin decides it.
public struct Routing: Sendable, Hashable {
    /// Schedules then teams, in annotation order.
    public var responders: [Responder]
    /// Schedules checked for auto-approval (`teleport.dev/schedules`).
    public var approvalSchedules: [String]
    /// Whether schedules or teams came from the configured defaults.
    public var usesDefaultSchedules: Bool
    public var usesDefaultTeams: Bool

    public init(annotations: [String: [String]], policy: PlanningPolicy) {
        let schedules = annotations[RequestAnnotation.notifyServices]
        let teams = annotations[RequestAnnotation.teams]
        usesDefaultSchedules = schedules == nil && !policy.defaultSchedules.isEmpty
        usesDefaultTeams = teams == nil && !policy.defaultTeams.isEmpty
        responders = (schedules ?? policy.defaultSchedules).map { Responder(kind: .schedule, value: $0) }
            + (teams ?? policy.defaultTeams).map { Responder(kind: .team, value: $0) }
        approvalSchedules = annotations[RequestAnnotation.schedules] ?? []
    }

    /// Whether an alert can be created at all.
    public var hasRoute: Bool { !responders.isEmpty }
}
