/// How the fake JSM answers where Atlassian's documents are silent. Each reading is one a real
/// site might have; the client must be right under all of them, and the tests run it under each.
public struct FakeJSMReadings: Sendable, Hashable {
    /// How the Jira user API shows an address hidden by profile visibility: the platform
    /// description says only that it "may be returned as null".
    public enum HiddenAddress: String, Sendable, Hashable, CaseIterable {
        /// `emailAddress` left out.
        case absent
        /// `"emailAddress": null`.
        case null
        /// `"emailAddress": ""`.
        case empty
        /// The user left out of the answer altogether.
        case userLeftOut
    }

    /// What the request status says before the write is processed (undocumented for JSM).
    public enum PendingStatus: String, Sendable, Hashable, CaseIterable {
        /// 404 "request is not found", as Opsgenie answers.
        case notFound
        /// 200 with `isSuccess: false` and no `processedAt`.
        case noOutcome
    }

    /// Which part of a listing page tells that more pages follow (the narrative documents
    /// `links.next`, the schema the total `count`).
    public enum Paging: String, Sendable, Hashable, CaseIterable {
        /// `links.next` as a path, and `count`.
        case nextAndCount
        /// `count` only, no `links`.
        case countOnly
        /// `links.next` as a full URL, no `count`.
        case nextURLOnly
    }

    /// How `listSchedules` reads `query` (documented: the exact name, ignoring case, or a prefix
    /// ending in `*`).
    public enum ScheduleQuery: String, Sendable, Hashable, CaseIterable {
        case exact
        /// Any name that contains the text, ignoring case, as a search box might.
        case contains
    }

    public var hiddenAddress = HiddenAddress.absent
    public var pendingStatus = PendingStatus.notFound
    public var paging = Paging.nextAndCount
    public var scheduleQuery = ScheduleQuery.exact
    /// The most users one `user/bulk` answer holds, whatever `maxResults` asks (nil: as asked).
    public var userPageLimit: Int?

    public init(hiddenAddress: HiddenAddress = .absent, pendingStatus: PendingStatus = .notFound, paging: Paging = .nextAndCount,
                scheduleQuery: ScheduleQuery = .exact, userPageLimit: Int? = nil) {
        self.hiddenAddress = hiddenAddress
        self.pendingStatus = pendingStatus
        self.paging = paging
        self.scheduleQuery = scheduleQuery
        self.userPageLimit = userPageLimit
    }

    /// The other reading of every point at once: what a client tuned to the defaults would miss.
    public static let alternative = FakeJSMReadings(hiddenAddress: .null, pendingStatus: .noOutcome, paging: .countOnly, scheduleQuery: .contains,
                                                      userPageLimit: 2)
}
