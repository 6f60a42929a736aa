import Logging

/// `apply --plan`: at the first look, the saved plan's writes that the fresh plan holds too (each
/// at most as often as saved), after checking that the plan is of this cluster; the saved ones it
/// does not hold are stale and reported. Later looks write nothing: they are for the report. When
/// nothing of the saved plan is left, the first look's own plan is reported, without a second look.
public struct SavedPlanFilter: PlanFilter {
    public let saved: SavedPlanRun
    private(set) var stale: [SavedPlan.Action] = []
    private let logger: Logger

    public init(_ saved: SavedPlanRun, logger: Logger) {
        self.saved = saved
        self.logger = logger
    }

    public mutating func select(_ plan: Plan, look: Int) throws -> PlanSelection {
        guard look == 1 else { return PlanSelection(writes: plan.withoutActions(), reported: plan) }
        try saved.plan.checkCluster(plan.cluster, source: saved.source)
        let selected: Plan
        (selected, stale) = saved.plan.select(from: plan)
        logger.info("saved plan matched against a fresh look", metadata: [
            "saved": "\(saved.plan.actions.count)", "still planned": "\(selected.actions.count)", "stale": "\(stale.count)",
        ])
        return PlanSelection(writes: selected, reported: selected.actions.isEmpty ? plan : selected)
    }

    public var savedPlanSummary: RunReport.SavedPlanSummary? {
        RunReport.SavedPlanSummary(source: saved.source, generatedAt: saved.plan.generatedAt, actions: saved.plan.actions.count, stale: stale)
    }
}
