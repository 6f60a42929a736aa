import AccessReconciler
import Foundation
import ReconcilerTesting

/// The fewest calls a run's work needs, and the time the latency allows for them: the list pages
/// of one look (Ping, access-request pages, the plugin-data listing, the job's alert pages), the
/// alias lookups of the first look (20 aliases a query, for the requests the tagged listing
/// cannot answer for), the on-call lookups of the distinct approval schedules, and for each change
/// its calls. JSM adds what its API needs: a schedule's id before its on-call list or an alert
/// naming it, the team list once, the e-mail addresses of the people on call (50 accounts a
/// call), and before a close the alert and its notes (JSM's close takes no note).
struct Minimum: Codable {
    let backend: SandboxBackend
    let listPages: Int
    let lookups: Int

    /// Reads what the fakes hold before the run.
    static func before(sandbox: SandboxEnvironment) async throws -> Minimum {
        let backend = sandbox.backend
        let requests = await sandbox.teleport.state.allRequests()
        let now = Date()
        let visible = requests.filter { !$0.isExpired(at: now) }
        let tagged = await sandbox.alerting.alerts.filter { $0.status == "open" && $0.tags.contains(PlanningPolicy.defaultOwnerTag) }
        let taggedRequests = Set(tagged.compactMap { AlertAlias.requestID(from: $0.alias) })
        let pluginData = await sandbox.teleport.state.allPluginData().compactMapValues { $0.entries[backend.pluginName] }
        let aliasLookups = Self.aliasLookups(listed: visible, pluginData: pluginData, tagged: taggedRequests)
        let lookupPages = Int((Double(aliasLookups) / 20).rounded(.up))
        let teleportPages = 1 + max(1, Int((Double(visible.count) / 1000).rounded(.up))) + 1
        let alertPages = max(1, Int((Double(tagged.count) / 100).rounded(.up)))
        let pending = visible.filter { $0.state == .pending }
        let schedules = Set(pending.flatMap { $0.systemAnnotations[RequestAnnotation.schedules] ?? [] })
        var lookups = schedules.count
        if backend == .jsm {
            let creating = pending.filter { !taggedRequests.contains($0.id) }
            let named = schedules.union(creating.flatMap { $0.systemAnnotations[RequestAnnotation.notifyServices] ?? [] })
            let teams = creating.contains { !($0.systemAnnotations[RequestAnnotation.teams] ?? []).isEmpty } ? 1 : 0
            let people = Set(schedules.flatMap { sandbox.scenario.onCall[$0] ?? [] })
            lookups += named.count + teams + Int((Double(people.count) / 50).rounded(.up))
        }
        return Minimum(backend: backend, listPages: teleportPages + alertPages + lookupPages, lookups: lookups)
    }

    /// The requests whose alias the work needs looked up, counted here from what the fakes hold and
    /// the rule the README states, not with the job's own `Observer.requestsToLookUp`, so that a
    /// lookup the job makes beyond it shows in *calls* against *minimum*: a request the job has no
    /// open, tagged alert for, that is pending (every request of a generated workload routes), or
    /// that is resolved, expired or deleted and not yet marked seen closed (`reconciler_checked`).
    static func aliasLookups(listed: [AccessRequest], pluginData: [String: [String: String]], tagged: Set<String>) -> Int {
        let seenClosed = { (id: String) in !(pluginData[id]?[PluginDataKey.reconcilerChecked] ?? "").isEmpty }
        let listedIDs = Set(listed.map(\.id))
        let fromListing = listed.filter { !tagged.contains($0.id) && ($0.state == .pending || !seenClosed($0.id)) }.count
        let deleted = pluginData.keys.filter { !listedIDs.contains($0) && !tagged.contains($0) && !seenClosed($0) }.count
        return fromListing + deleted
    }

    /// Calls each change needs. Opsgenie: create, note and close = write + status read + plugin
    /// data. JSM: create = write + status read + plugin data; note = write (answered at once) +
    /// plugin data; close = alert read + notes read + note + close + status read + plugin data.
    /// Both: approve = the review; a plugin-data record = the write.
    func callsPerChange(_ kind: PlannedAction.Kind) -> Int {
        switch (kind, backend) {
        case (.approveRequest, _), (.recordAlert, _), (.recordResolution, _): return 1
        case (.createAlert, _): return 3
        case (.addNote, .opsgenie), (.closeAlert, .opsgenie): return 3
        case (.addNote, .jsm): return 2
        case (.closeAlert, .jsm): return 6
        }
    }

    func changeCalls(for report: ReportDocument) -> Int {
        report.actions.filter { $0.status == .done }.map { callsPerChange($0.kind) }.reduce(0, +)
    }

    func calls(for report: ReportDocument) -> Int {
        listPages + lookups + changeCalls(for: report)
    }

    /// (list pages and lookups in sequence × latency) + (change calls × latency / concurrency).
    func allowedSeconds(for report: ReportDocument, latency: Double, concurrency: Int) -> Double {
        Double(listPages + lookups) * latency + Double(changeCalls(for: report)) * latency / Double(concurrency)
    }
}
