import AccessReconciler
import Foundation
import ReconcilerTesting

/// The planner alone on a generated workload, without I/O: the best of three runs. The
/// observation is what a first look would give: the tagged alerts, and the alias lookups done.
enum PlannerTiming {
    static func best(requests: Int) throws -> Double {
        let workload = GeneratedWorkload(requests: requests, now: Date())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-bench-manifests-\(UUID().uuidString).yaml")
        try workload.manifestsYAML.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let manifests = try ManifestLoader().load(path: file.path)
        var onCall = OnCallSnapshot()
        for (schedule, recipients) in workload.scenario.onCall { onCall.record(schedule: schedule, recipients: recipients) }
        let pluginData = workload.scenario.pluginData.compactMapValues { $0.entries["opsgenie"].map(PluginEntry.init) }
        // The requests a real look would have looked up by alias, so that creates are planned.
        let tagged = Set(workload.scenario.alerts.compactMap(\.requestID))
        let lookedUp = Set(Observer.requestsToLookUp(requests: workload.scenario.requests, pluginData: pluginData, tagged: tagged,
                                                     now: workload.scenario.now))
        let observation = Observation(cluster: workload.scenario.cluster, requests: workload.scenario.requests, alerts: workload.scenario.alerts,
                                      lookedUp: lookedUp, onCall: onCall, pluginData: pluginData)
        let planner = Planner(manifests: manifests, policy: PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: SandboxEnvironment.jobUser)))
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<3 {
            let start = clock.now
            let plan = planner.plan(observation, now: workload.scenario.now)
            let elapsed = clock.now - start
            precondition(!plan.actions.isEmpty)
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }
}
