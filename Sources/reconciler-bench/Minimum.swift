import AccessReconciler
import Foundation
import ReconcilerTesting

/// The fewest calls a run's work needs, and the time the latency allows for them: the list pages
/// of one look (Ping, access-request pages, the plugin-data listing, the job's alert pages), the
/// alias lookups of the first look (20 aliases a query, for the requests the tagged listing
/// cannot answer for), one on-call lookup per distinct approval schedule, and for each change its
/// write, its status read where Opsgenie answers asynchronously, and its plugin-data record.
struct Minimum {
    let listPages: Int
    let onCallLookups: Int

    /// Reads what the fakes hold before the run.
    static func before(sandbox: SandboxEnvironment) async throws -> Minimum {
        let requests = await sandbox.teleport.state.allRequests()
        let now = Date()
        let visible = requests.filter { !$0.isExpired(at: now) }
        let tagged = await sandbox.opsgenie.alerts.filter { $0.status == "open" && $0.tags.contains(PlanningPolicy.defaultOwnerTag) }
        let openAlerts = tagged.count
        let lookups = Observer.requestsToLookUp(requests: visible, pluginData: await sandbox.teleport.state.allPluginData().compactMapValues { $0.entries["opsgenie"].map(PluginEntry.init) },
                                                tagged: Set(tagged.compactMap { AlertAlias.requestID(from: $0.alias) }), now: now).count
        let lookupPages = Int((Double(lookups) / 20).rounded(.up))
        let teleportPages = 1 + max(1, Int((Double(visible.count) / 1000).rounded(.up))) + 1
        let opsgeniePages = max(1, Int((Double(openAlerts) / 100).rounded(.up)))
        let schedules = Set(visible.filter { $0.state == .pending }.flatMap { $0.systemAnnotations[RequestAnnotation.schedules] ?? [] })
        return Minimum(listPages: teleportPages + opsgeniePages + lookupPages, onCallLookups: schedules.count)
    }

    /// Calls each change needs: create, note and close = write + status read + plugin data; approve
    /// = the review; a plugin-data record = the write.
    static func callsPerChange(_ kind: PlannedAction.Kind) -> Int {
        switch kind {
        case .approveRequest, .recordAlert, .recordResolution: return 1
        case .createAlert, .addNote, .closeAlert: return 3
        }
    }

    func changeCalls(for report: ReportDocument) -> Int {
        report.actions.filter { $0.status == .done }.map { Self.callsPerChange($0.kind) }.reduce(0, +)
    }

    func calls(for report: ReportDocument) -> Int {
        listPages + onCallLookups + changeCalls(for: report)
    }

    /// (list pages in sequence × latency) + (change calls × latency / concurrency).
    func allowedSeconds(for report: ReportDocument, latency: Double, concurrency: Int) -> Double {
        Double(listPages + onCallLookups) * latency + Double(changeCalls(for: report)) * latency / Double(concurrency)
    }
}
