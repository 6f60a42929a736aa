/// What a look-up of one schedule's on-call list gave: the people (as the backend names them), or
/// why it failed. A plain value rather than a `Result`: with task groups of
/// `(String, Result<[String], any Error>)` the release build (Swift 6.3) crashed reading the
/// schedule names back, where the debug build and the tests did not.
public struct OnCallAnswer: Sendable, Hashable {
    public let schedule: String
    /// The people on call whom the backend could name; nil when the look-up failed.
    public let recipients: [String]?
    /// People on call whom the backend could not name (JSM: account ids without a known e-mail
    /// address). They match nobody, and they make a requester who is not among `recipients`
    /// unknown rather than off call.
    public let unnamed: [String]
    /// Why `unnamed` could not be named, for the report.
    public let unnamedReason: String?
    public let failure: String?

    public init(schedule: String, recipients: [String], unnamed: [String] = [], unnamedReason: String? = nil) {
        self.schedule = schedule
        self.recipients = recipients
        self.unnamed = unnamed
        self.unnamedReason = unnamedReason
        failure = nil
    }

    public init(schedule: String, failure: any Error) {
        self.schedule = schedule
        recipients = nil
        unnamed = []
        unnamedReason = nil
        self.failure = "\(failure)"
    }
}

extension OnCallAnswer {
    /// Each of `schedules` looked up by `lookup`, concurrently (the backend bounds its own
    /// concurrency and rate); a failed lookup fails only its own schedule.
    public static func gather(_ schedules: [String], _ lookup: @escaping @Sendable (String) async throws -> [String]) async -> [OnCallAnswer] {
        await withTaskGroup(of: OnCallAnswer.self) { group in
            for schedule in schedules {
                group.addTask {
                    do {
                        return OnCallAnswer(schedule: schedule, recipients: try await lookup(schedule))
                    } catch {
                        return OnCallAnswer(schedule: schedule, failure: error)
                    }
                }
            }
            var answers: [OnCallAnswer] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
    }
}
