/// Who was on call, per schedule, when the job looked. A schedule whose lookup failed is recorded as
/// unknown, never as empty: the planner must not decide on it.
public struct OnCallSnapshot: Sendable, Hashable, Codable {
    public enum Lookup: Sendable, Hashable, Codable {
        /// The on-call recipients in `OnCallIdentity.comparable` form (backends name people by
        /// e-mail address).
        case known(Set<String>)
        /// Some of the people on call are named (comparable form), others are not (`unnamed`, as the
        /// backend identifies them, with why). A named requester is on call; anyone else is
        /// unknown, since an unnamed account might be them.
        case partial(Set<String>, unnamed: [String], reason: String)
        /// The lookup failed; the reason is for the report.
        case unknown(reason: String)
    }

    /// Schedule name (or id) → lookup outcome.
    public var schedules: [String: Lookup]

    public init(schedules: [String: Lookup] = [:]) {
        self.schedules = schedules
    }

    /// Records the recipients of a schedule in comparable form.
    public mutating func record(schedule: String, recipients: [String]) {
        schedules[schedule] = .known(OnCallIdentity.comparable(recipients))
    }
}
