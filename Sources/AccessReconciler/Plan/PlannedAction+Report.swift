/// What the run's report keeps of a round once it has been carried out.
///
/// The report prints, of each action, what `SavedPlan.Action` describes: its kind, request, alert,
/// alias, responders, schedules, resolution and reason. The texts and records an action writes
/// (the alert's description and details, notes, review reasons, plugin-data values) are at the
/// service and in Teleport once the round is done, and a 10,000-request catch-up held them through
/// every later look: about 8 MB at the peak of the second.
extension PlannedAction {
    /// This action without the texts and records it wrote.
    public var keptForReport: PlannedAction {
        switch self {
        case var .createAlert(create):
            create.draft.message = ""
            create.draft.description = ""
            create.draft.tags = []
            create.draft.details = [:]
            create.record = [:]
            return .createAlert(create)
        case var .recordAlert(record):
            record.set = [:]
            return .recordAlert(record)
        case var .approveRequest(approve):
            approve.reviewReason = ""
            return .approveRequest(approve)
        case var .addNote(note):
            note.note = ""
            return .addNote(note)
        case var .closeAlert(close):
            close.resolveReason = ""
            close.note = ""
            close.record = [:]
            return .closeAlert(close)
        case var .recordResolution(record):
            record.set = [:]
            return .recordResolution(record)
        }
    }
}

extension Plan {
    /// The plan with every action as `PlannedAction.keptForReport` leaves it.
    public func keptForReport() -> Plan {
        var plan = self
        plan.actions = actions.map(\.keptForReport)
        return plan
    }
}
