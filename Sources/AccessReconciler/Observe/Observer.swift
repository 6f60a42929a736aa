import Foundation
import Logging

/// Looks at both sides once and returns an `Observation`. Listing failures propagate (the run then
/// does nothing); a failed lookup about one request, or a failed on-call lookup, is recorded as
/// unknown so that the planner holds back on just that.
public struct Observer: Sendable {
    public let requests: any AccessRequestPort
    public let alerts: any AlertBackend
    public let policy: PlanningPolicy
    public let resolver: AnnotationResolver
    let logger: Logger

    public init(requests: any AccessRequestPort, alerts: any AlertBackend, policy: PlanningPolicy,
                manifests: ManifestSet, logger: Logger = Logger(label: "access-reconciler.observe")) {
        self.requests = requests
        self.alerts = alerts
        self.policy = policy
        self.resolver = AnnotationResolver(manifests: manifests)
        self.logger = logger
    }

    public func observe(now: Date) async throws -> Observation {
        let cluster = try await requests.clusterName()
        async let listedRequests = requests.listAccessRequests()
        async let listedPluginData = requests.listPluginData(plugin: PluginDataKey.opsgeniePlugin)
        async let listedAlerts = alerts.listOpenAlerts(taggedWith: [policy.ownerTag, AlertDetails.clusterTag(cluster)])
        let allRequests = try await listedRequests
        let pluginData = try await listedPluginData
        var found = try await listedAlerts
        logger.debug("observed", metadata: ["requests": "\(allRequests.count)", "alerts": "\(found.count)"])

        let requestIDsWithAlert = Set(found.compactMap(\.requestID))
        let live = allRequests.filter { $0.state == .pending && !$0.isExpired(at: now) }
        var unknown: [String: String] = [:]
        // Alerts created by Teleport's own plugin carry no tag: find them by alias, only for
        // requests that still need an alert, have none of the job's, and have plugin data of the
        // Opsgenie plugin (which writes it before it creates an alert; without it there is none).
        for request in live where !requestIDsWithAlert.contains(request.id) && pluginData[request.id]?.entries[PluginDataKey.opsgeniePlugin] != nil {
            do {
                if var alert = try await alerts.openAlert(alias: request.alertAlias) {
                    alert.origin = .alias
                    found.append(alert)
                }
            } catch {
                unknown[request.id] = "looking up the alert \(request.alertAlias) failed: \(error)"
            }
        }
        // Alerts recorded in plugin data but not yet resolved there, for requests that are decided
        // or gone, so that a resolution missed while the plugin was down is caught up.
        let requestsByID = Dictionary(allRequests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let knownAlertIDs = Set(found.map(\.id))
        for (requestID, data) in pluginData.sorted(by: { $0.key < $1.key }) {
            guard let alertID = data.alertID, data.resolution == nil, !knownAlertIDs.contains(alertID) else { continue }
            if let request = requestsByID[requestID], request.state == .pending, !request.isExpired(at: now) { continue }
            do {
                if var alert = try await alerts.alert(id: alertID), alert.status == .open, alert.requestID == requestID {
                    alert.origin = .alias
                    found.append(alert)
                }
            } catch {
                unknown[requestID] = "reading alert \(alertID) recorded in plugin data failed: \(error)"
            }
        }
        if !unknown.isEmpty { logger.warning("some lookups failed", metadata: ["requests": "\(unknown.count)"]) }
        let onCall = await lookUpOnCall(for: live)
        return Observation(cluster: cluster, requests: allRequests, alerts: found, onCall: onCall, pluginData: pluginData, unknown: unknown)
    }

    /// Reads each approval schedule once.
    private func lookUpOnCall(for pending: [AccessRequest]) async -> OnCallSnapshot {
        var snapshot = OnCallSnapshot()
        guard policy.autoApproval.enabled, policy.autoApproval.reviewer != nil else { return snapshot }
        // Requests of the same user and roles share what the manifests give: resolve each
        // combination once (a fallback to live annotations is per request).
        var schedules = Set<String>()
        var resolvedFromManifests = Set<[String]>()
        for request in pending where !resolvedFromManifests.contains([request.user] + request.roles) {
            let desired = resolver.resolve(user: request.user, requestedRoles: request.roles, live: request.systemAnnotations)
            if desired.source == .manifests { resolvedFromManifests.insert([request.user] + request.roles) }
            schedules.formUnion(desired.annotations[RequestAnnotation.schedules] ?? [])
        }
        // Each schedule once; concurrently, as the alert backend bounds its own concurrency.
        await withTaskGroup(of: (String, OnCallSnapshot.Lookup).self) { group in
            for schedule in schedules.sorted() {
                group.addTask { [alerts, logger] in
                    do {
                        return (schedule, .known(Set(try await alerts.onCallRecipients(schedule: schedule).map { $0.lowercased() })))
                    } catch {
                        logger.warning("on-call lookup failed", metadata: ["schedule": "\(schedule)", "error": "\(error)"])
                        return (schedule, .unknown(reason: "\(error)"))
                    }
                }
            }
            for await (schedule, lookup) in group { snapshot.schedules[schedule] = lookup }
        }
        return snapshot
    }
}
