/// The one seam in a run's loop: what of each fresh plan is carried out, and what the report
/// shows of that look. `apply` carries out everything (`WholePlan`); `apply --plan` only the
/// saved plan's writes that the first fresh look plans too (`SavedPlanFilter`).
public protocol PlanFilter: Sendable {
    /// What to do with the plan of look `look` (1 for the first).
    mutating func select(_ plan: Plan, look: Int) throws -> PlanSelection
    /// What the report says of the saved plan, when there is one.
    var savedPlanSummary: RunReport.SavedPlanSummary? { get }
}

/// A look's plan as the filter passed it on.
public struct PlanSelection: Sendable {
    /// The writes to carry out; none when the run should not write after this look.
    public var writes: Plan
    /// The plan the report shows for this look when nothing is written after it.
    public var reported: Plan

    public init(writes: Plan, reported: Plan) {
        self.writes = writes
        self.reported = reported
    }
}

/// `apply` and `plan`: every look's plan as it is.
public struct WholePlan: PlanFilter {
    public init() {}

    public func select(_ plan: Plan, look: Int) -> PlanSelection { PlanSelection(writes: plan, reported: plan) }

    public var savedPlanSummary: RunReport.SavedPlanSummary? { nil }
}

extension Plan {
    /// The plan with nothing to write: what a look is for when only the report needs it.
    public func withoutActions() -> Plan {
        var plan = self
        plan.actions = []
        return plan
    }
}
