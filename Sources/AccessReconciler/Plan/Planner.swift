import Foundation

/// The pure heart of the job: from what was observed, the manifests and the policy, at time `now`,
/// computes the ordered writes that bring alerts and requests into agreement. No I/O, no clock.
public struct Planner: Sendable {
    public let policy: PlanningPolicy
    public let resolver: AnnotationResolver

    public init(manifests: ManifestSet, policy: PlanningPolicy) {
        self.policy = policy
        self.resolver = AnnotationResolver(manifests: manifests)
    }

    public func plan(_ observation: Observation, now: Date) -> Plan {
        var work = PlanWork(observation: observation, policy: policy, resolver: resolver, now: now)
        work.run()
        // Sorted through keys computed once: the actions themselves are large values.
        let keys = work.actions.map { (requestID: $0.requestID, rank: $0.rank) }
        let order = keys.indices.sorted { (keys[$0].requestID, keys[$0].rank, $0) < (keys[$1].requestID, keys[$1].rank, $1) }
        var plan = Plan(cluster: observation.cluster, generatedAt: now,
                        actions: order.map { work.actions[$0] },
                        findings: work.findings.sorted { ($0.requestID ?? "", $0.kind.rawValue, $0.alertID ?? "", $0.message)
                            < ($1.requestID ?? "", $1.kind.rawValue, $1.alertID ?? "", $1.message) })
        plan.seen = Plan.Seen(pendingRequests: observation.requests.count { $0.state == .pending && !$0.isExpired(at: now) },
                              openAlerts: observation.alerts.count)
        return plan
    }
}

/// One planning pass; a separate value so that the planner's rules read top to bottom. Its rules
/// for approvals and for open alerts are in `PlanWork+Approval.swift` and `PlanWork+Alerts.swift`.
struct PlanWork {
    let observation: Observation
    let policy: PlanningPolicy
    let resolver: AnnotationResolver
    let now: Date
    var actions: [PlannedAction] = []
    var findings: [Finding] = []
    /// Desired annotations and routing by (user, roles): thousands of requests share few combinations.
    var desiredCache: [DesiredKey: (desired: DesiredAnnotations, routing: Routing)] = [:]

    struct DesiredKey: Hashable {
        var user: String
        var roles: [String]
    }
    /// The requester's on-call address by user.
    var addressCache: [String: Result<String, OnCallIdentity.Unknown>] = [:]

    init(observation: Observation, policy: PlanningPolicy, resolver: AnnotationResolver, now: Date) {
        self.observation = observation
        self.policy = policy
        self.resolver = resolver
        self.now = now
    }

    mutating func run() {
        for (requestID, reason) in observation.unknown.sorted(by: { $0.key < $1.key }) {
            findings.append(Finding(kind: .lookupFailed, requestID: requestID,
                                    message: "\(reason); nothing is created, closed or approved for this request in this run"))
        }
        let openAlerts = uniqueOpenAlerts()
        var alertsByRequest: [String: [Alert]] = [:]
        for alert in openAlerts {
            guard let requestID = alert.requestID else {
                if alert.origin == .tagged && AlertDetails.belongs(alert, to: observation.cluster) {
                    findings.append(Finding(kind: .unrecognisedAlert, alertID: alert.id,
                                            message: "alert \(alert.id) carries the tag \(policy.ownerTag) but its alias \"\(alert.alias)\" names no access request; left alone"))
                }
                continue
            }
            guard AlertDetails.belongs(alert, to: observation.cluster) else { continue }
            alertsByRequest[requestID, default: []].append(alert)
        }
        // In ID order; a request listed twice counts once (the last copy, as a dictionary would keep).
        let requests = observation.requests
        let order = requests.indices.sorted { requests[$0].id < requests[$1].id || (requests[$0].id == requests[$1].id && $0 < $1) }
        var requestsByID: [String: Int] = [:]
        requestsByID.reserveCapacity(requests.count)
        for (position, index) in order.enumerated() {
            if position + 1 < order.count, requests[order[position + 1]].id == requests[index].id { continue }
            requestsByID[requests[index].id] = index
            planRequest(requests[index], openAlerts: alertsByRequest[requests[index].id] ?? [])
        }
        for requestID in alertsByRequest.keys.sorted() where observation.unknown[requestID] == nil {
            for alert in alertsByRequest[requestID]! {
                planAlert(alert, requestID: requestID, request: requestsByID[requestID].map { requests[$0] })
            }
        }
        for requestID in observation.lookedUp.sorted() where alertsByRequest[requestID] == nil && observation.unknown[requestID] == nil {
            planResolutionRecord(requestID, request: requestsByID[requestID].map { requests[$0] })
        }
    }

    /// Open alerts, each once (the listed copy over one found by alias), ordered by id.
    func uniqueOpenAlerts() -> [Alert] {
        var byID: [String: Alert] = [:]
        for alert in observation.alerts where alert.status == .open {
            if byID[alert.id]?.origin == .tagged { continue }
            byID[alert.id] = alert
        }
        return byID.keys.sorted().map { byID[$0]! }
    }

    // MARK: Requests

    mutating func planRequest(_ request: AccessRequest, openAlerts: [Alert]) {
        let (desired, routing) = desiredState(for: request)
        report(desired, for: request)
        guard request.state == .pending, !request.isExpired(at: now), observation.unknown[request.id] == nil else { return }
        if let alert = openAlerts.first {
            planAlertRecord(request, alert: alert)
        } else {
            planAlertCreation(request, routing: routing)
        }
        planApproval(request, desired: desired, routing: routing)
    }

    /// An open alert for a pending request whose plugin data names no alert: Teleport's plugin
    /// crashed before recording it, someone else raised it, or the job's own record was lost.
    /// Adopt it (record its id) rather than create a second one, so that both tools see it.
    mutating func planAlertRecord(_ request: AccessRequest, alert: Alert) {
        let current = observation.pluginData[request.id]?.fields ?? [:]
        guard (current[PluginDataKey.alertID] ?? "").isEmpty else { return }
        var set = [PluginDataKey.alertID: alert.id]
        for (key, value) in PluginRecord.requestKeys(request) where (current[key] ?? "").isEmpty && !value.isEmpty { set[key] = value }
        let why = alert.origin == .tagged ? "the job's alert \(alert.id) is not recorded in plugin data"
            : "open alert \(alert.id) has the request's alias but plugin data records no alert; adopting it instead of creating another"
        actions.append(.recordAlert(RecordAlert(requestID: request.id, alertID: alert.id, set: set, reason: why)))
    }

    /// The request's desired annotations and where they route. Results from the manifests are
    /// shared by every request of the same user and roles; a fallback to live annotations is not.
    mutating func desiredState(for request: AccessRequest) -> (desired: DesiredAnnotations, routing: Routing) {
        let key = DesiredKey(user: request.user, roles: request.roles)
        if let cached = desiredCache[key] { return cached }
        let desired = resolver.resolve(user: request.user, requestedRoles: request.roles, live: request.systemAnnotations)
        let state = (desired, Routing(annotations: desired.annotations, policy: policy))
        if desired.source == .manifests { desiredCache[key] = state }
        return state
    }

    mutating func report(_ desired: DesiredAnnotations, for request: AccessRequest) {
        switch desired.source {
        case let .liveFallback(reason):
            findings.append(Finding(kind: .liveAnnotationsUsed, requestID: request.id,
                                    message: "\(reason); using the request's live annotations"))
        case .manifests:
            // Teleport stores annotations sorted; normalise only when they differ as sent.
            if request.systemAnnotations != desired.annotations, RequestAnnotation.normalized(request.systemAnnotations) != desired.annotations {
                let live = RequestAnnotation.normalized(request.systemAnnotations)
                findings.append(Finding(kind: .annotationDrift, requestID: request.id,
                                        message: "annotations differ from the manifests: \(AnnotationDiff(live: live, desired: desired.annotations))"))
            }
            if !desired.unrequestableRoles.isEmpty {
                findings.append(Finding(kind: .notRequestable, requestID: request.id,
                                        message: "the manifests do not let \(request.user) request \(desired.unrequestableRoles.joined(separator: ", "))"))
            }
            for skipped in desired.skippedTemplates {
                findings.append(Finding(kind: .traitMissing, requestID: request.id,
                                        message: "annotation value \(skipped) skipped: \(request.user) has no such trait"))
            }
        }
    }

    mutating func planAlertCreation(_ request: AccessRequest, routing: Routing) {
        if let recorded = observation.pluginData[request.id]?.alertID {
            findings.append(Finding(kind: .recordedAlertNotOpen, requestID: request.id, alertID: recorded,
                                    message: "plugin data records alert \(recorded) for this pending request, but it is not open; no second alert is created"))
            return
        }
        guard routing.hasRoute else {
            findings.append(Finding(kind: .noRoute, requestID: request.id,
                                    message: "no teleport.dev/notify-services or teleport.dev/teams annotation and no default schedules or teams: no alert"))
            return
        }
        // A create with the alias of an open alert would only raise that alert's count: create
        // only when the look established that no open alert has the alias.
        guard observation.lookedUp.contains(request.id) else {
            findings.append(Finding(kind: .lookupFailed, requestID: request.id,
                                    message: "whether an open alert has the alias \(request.alertAlias) was not looked up; no alert is created"))
            return
        }
        let missing = routing.responders.filter { observation.unknownResponders[$0] != nil }
        guard missing.isEmpty else {
            findings.append(Finding(kind: .responderUnknown, requestID: request.id,
                                    message: missing.map { "\($0): \(observation.unknownResponders[$0]!)" }.joined(separator: "; ") + "; no alert is created"))
            return
        }
        let tags = [policy.ownerTag, AlertDetails.clusterTag(observation.cluster, limit: policy.tagLimit), "teleport-access-request"]
        let draft = AlertDraft(message: AlertText.message(user: request.user), alias: request.alertAlias,
                               description: AlertText.description(for: request, webProxyURL: policy.webProxyURL),
                               responders: routing.responders, priority: policy.priority, tags: tags,
                               details: AlertDetails.forRequest(request, cluster: observation.cluster, ownerTag: policy.ownerTag))
        let targets = routing.responders.map(\.description).joined(separator: ", ")
        actions.append(.createAlert(CreateAlert(requestID: request.id, draft: draft, record: PluginRecord.requestKeys(request),
                                                reason: "pending request from \(request.user) for \(request.roles.joined(separator: ", ")) has no open alert; notify \(targets)")))
    }
}
