/// One line of `check`'s checklist: what was checked, what was found and, when it failed or
/// could not be decided, what to do.
public struct CheckLine: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Checked, and it holds.
        case passed
        /// Checked, and it does not hold: `apply` would fail or do less than configured.
        case failed
        /// Cannot be decided without writing, or without something the job cannot read.
        case undecided

        /// ✓, ✗ or ?.
        public var mark: String {
            switch self {
            case .passed: return "✓"
            case .failed: return "✗"
            case .undecided: return "?"
            }
        }
    }

    /// The side the line is about, for grouping.
    public enum Area: String, Sendable, Hashable, Codable, CaseIterable {
        case teleport, alerting, job
    }

    public var area: Area
    /// A stable name of the check (`teleport.connection`), for scripts reading the JSON.
    public var check: String
    public var status: Status
    /// What was checked and what was found.
    public var summary: String
    /// For ✗ and ?: how to fix it, or how to check it by hand.
    public var fix: String?
    /// For ✓: something that holds now but will not for long (a certificate about to expire).
    public var warning: String?

    public init(_ area: Area, _ check: String, _ status: Status, _ summary: String, fix: String? = nil, warning: String? = nil) {
        self.area = area
        self.check = check
        self.status = status
        self.summary = summary
        self.fix = fix
        self.warning = warning
    }
}
