import AccessReconciler
import Foundation
import ReconcilerTesting

/// A realistic morning after an outage at a given size: about 60% pending requests (half already
/// alerted), 25% resolved while nobody watched (alerts to annotate and close), 15% expired and
/// deleted (alerts to close); 20 teams, each with its own requester role, schedule and team; one
/// requester in fifty on call.
struct GeneratedWorkload {
    static let scheduleCount = 20
    static let userCount = 500

    let scenario: Scenario
    let manifestsYAML: String

    /// `pluginName`: the plugin-data entry the alert backend's client keeps.
    init(requests count: Int, now: Date, pluginName: String = "opsgenie") {
        var manifests = ""
        for group in 0..<Self.scheduleCount {
            let name = String(format: "%02d", group)
            manifests += """
                kind: role
                version: v7
                metadata: {name: requester-\(name)}
                spec:
                  allow:
                    request:
                      roles: ['service-\(name)-*']
                      thresholds: [{approve: 1, deny: 1}]
                      annotations:
                        teleport.dev/notify-services: [oncall-\(name)]
                        teleport.dev/teams: [team-\(name)]
                        teleport.dev/schedules: [oncall-\(name)]
                ---
                kind: role
                version: v7
                metadata: {name: service-\(name)-admin}
                spec: {}
                ---

                """
        }
        for user in 0..<Self.userCount {
            manifests += "kind: user\nversion: v2\nmetadata: {name: user-\(user)@example.com}\nspec: {roles: [requester-\(String(format: "%02d", user % Self.scheduleCount))]}\n---\n"
        }
        manifestsYAML = manifests

        var scenario = Scenario(cluster: "teleport.example.com", now: now)
        for group in 0..<Self.scheduleCount {
            let name = String(format: "%02d", group)
            // Users 0..19 (user % 50 == 0 … scaled) are on call in their own schedule.
            let onCall = (0..<Self.userCount).filter { $0 % Self.scheduleCount == group && $0 % 50 == group % 50 }
            scenario.onCall["oncall-\(name)"] = ["oncall-\(name)@example.com"] + onCall.map { "user-\($0)@example.com" }
        }
        for index in 0..<count {
            let user = index % Self.userCount
            let group = String(format: "%02d", user % Self.scheduleCount)
            let id = String(format: "0193a1b2-0000-7000-8000-%012d", index)
            let created = now.addingTimeInterval(-Double(count - index))
            let annotations = ["teleport.dev/notify-services": ["oncall-\(group)"], "teleport.dev/teams": ["team-\(group)"],
                               "teleport.dev/schedules": ["oncall-\(group)"]]
            var request = AccessRequest(id: id, user: "user-\(user)@example.com", roles: ["service-\(group)-admin"], created: created,
                                        accessExpires: now.addingTimeInterval(8 * 3600), resourceExpires: now.addingTimeInterval(86_400),
                                        requestReason: "ticket \(index)", systemAnnotations: annotations)
            let alert = Alert(id: "og-\(index)", alias: AlertAlias.forRequest(id), message: AlertText.message(user: request.user),
                              tags: [PlanningPolicy.defaultOwnerTag, AlertDetails.clusterTag(scenario.cluster)],
                              responders: [Responder(kind: .schedule, name: "oncall-\(group)"), Responder(kind: .team, name: "team-\(group)")],
                              createdAt: created.addingTimeInterval(1))
            let recorded = RequestPluginData(entries: [pluginName: ["alert_id": alert.id, "user": request.user, "roles": request.roles[0]]])
            switch index % 20 {
            case 0..<12:
                if index % 2 == 0 {
                    scenario.alerts.append(alert)
                    scenario.pluginData[id] = recorded
                }
                scenario.requests.append(request)
            case 12..<17:
                request.state = index % 2 == 0 ? .approved : .denied
                request.resolveReason = "reviewed"
                request.reviews = [AccessReview(author: "lead@example.com", proposedState: request.state, reason: "reviewed",
                                                created: created.addingTimeInterval(60))]
                if index % 3 == 0 {
                    request.reviews.insert(AccessReview(author: "peer@example.com", proposedState: request.state, created: created.addingTimeInterval(30)), at: 0)
                }
                scenario.requests.append(request)
                scenario.alerts.append(alert)
                scenario.pluginData[id] = recorded
            default:
                // Expired and deleted by Teleport; its alert and plugin data remain.
                scenario.alerts.append(alert)
                scenario.pluginData[id] = recorded
            }
        }
        self.scenario = scenario
    }
}
