import Foundation
import Synchronization

/// The pure heart of the job: from what was observed, the manifests and the policy, at time `now`,
/// computes the ordered writes that bring alerts and requests into agreement. No I/O, no clock.
public struct Planner: Sendable {
    /// What the manifests want for a request, read from the observation where the observer resolved it.
    public let desired: DesiredState
    /// How many shares of the requests are planned at the same time.
    public let workers: Int
    /// The fewest requests in a share: below that, splitting costs more than it saves.
    public let minimumShare: Int

    /// `workers` defaults to the processors available (at most four). The plan is the same
    /// whatever the workers and the share size.
    public init(desired: DesiredState, workers: Int? = nil, minimumShare: Int = 5_000) {
        self.desired = desired
        self.workers = max(1, workers ?? min(4, ProcessInfo.processInfo.activeProcessorCount))
        self.minimumShare = max(1, minimumShare)
    }

    public init(manifests: ManifestSet, policy: PlanningPolicy, workers: Int? = nil, minimumShare: Int = 5_000) {
        self.init(desired: DesiredState(manifests: manifests, policy: policy), workers: workers, minimumShare: minimumShare)
    }

    public var policy: PlanningPolicy { desired.policy }

    public func plan(_ observation: Observation, now: Date) -> Plan {
        let input = PlanInput(observation: observation)
        let routes = observation.routes ?? desired.routes(for: observation.requests)
        let shares = input.shares(min(workers, max(1, input.requestOrder.count / minimumShare)))
        let results = Mutex([(actions: [PlannedAction], findings: [Finding])?](repeating: nil, count: shares.count))
        DispatchQueue.concurrentPerform(iterations: shares.count) { share in
            var work = PlanWork(input: input, desired: desired, routes: routes, now: now)
            work.run(shares[share])
            let result = work.sortedResults()
            results.withLock { $0[share] = result }
        }
        // Shares are contiguous ranges of request IDs, in order, and the first holds the findings
        // that name no request: put side by side, their sorted results are sorted.
        let passes = results.withLock { $0.map { $0! } }
        var plan = Plan(cluster: observation.cluster, generatedAt: now,
                        actions: passes.flatMap(\.actions), findings: passes.flatMap(\.findings))
        plan.seen = Plan.Seen(pendingRequests: observation.requests.count { $0.state == .pending && !$0.isExpired(at: now) },
                              openAlerts: observation.alerts.count)
        return plan
    }
}

/// One planning pass; a separate value so that the planner's rules read top to bottom. Its rules
/// for approvals and for open alerts are in `PlanWork+Approval.swift` and `PlanWork+Alerts.swift`.
struct PlanWork {
    let input: PlanInput
    /// `input.observation`, held apart so that the rules read it without copying it out of `input`.
    let observation: Observation
    let desired: DesiredState
    /// The requests' desired state, resolved once for the look.
    let routes: RequestRoutes
    let now: Date
    var actions: [PlannedAction] = []
    var findings: [Finding] = []
    /// The requester's on-call address by user.
    var addressCache: [String: RequesterAddress] = [:]

    init(input: PlanInput, desired: DesiredState, routes: RequestRoutes, now: Date) {
        self.input = input
        self.observation = input.observation
        self.desired = desired
        self.routes = routes
        self.now = now
    }

    var policy: PlanningPolicy { desired.policy }

    /// The actions ordered by request and, within a request, by rank (create, approve, notes,
    /// close) and then as planned; the findings by request, kind, alert and text.
    func sortedResults() -> (actions: [PlannedAction], findings: [Finding]) {
        // Sorted through keys computed once: the actions themselves are large values.
        let keys = actions.map { (requestID: $0.requestID, rank: $0.rank) }
        let order = keys.indices.sorted { (keys[$0].requestID, keys[$0].rank, $0) < (keys[$1].requestID, keys[$1].rank, $1) }
        return (order.map { actions[$0] },
                findings.sorted { ($0.requestID ?? "", $0.kind.rawValue, $0.alertID ?? "", $0.message)
                    < ($1.requestID ?? "", $1.kind.rawValue, $1.alertID ?? "", $1.message) })
    }

    /// Plans one share of the requests (all of them when there is one share).
    mutating func run(_ share: PlanInput.Share) {
        for (requestID, reason) in input.unknown[share.unknown] {
            findings.append(Finding(kind: .lookupFailed, requestID: requestID,
                                    message: "\(reason); nothing is created, closed or approved for this request in this run"))
        }
        let alerts = observation.alerts
        if share.isFirst {
            for index in input.unrecognisedAlerts {
                let alert = alerts[index]
                findings.append(Finding(kind: .unrecognisedAlert, alertID: alert.id,
                                        message: "alert \(alert.id) carries the tag \(policy.ownerTag) but its alias \"\(alert.alias)\" names no access request; left alone"))
            }
        }
        let requests = observation.requests
        // A request's own rules, then its open alerts' (the order within a request that sorting keeps).
        for index in input.requestOrder[share.requests] {
            let request = requests[index]
            let open = input.alertsByRequest[request.id]
            planRequest(request, openAlert: open?.first.map { alerts[$0] })
            guard let open, observation.unknown[request.id] == nil else { continue }
            for alert in open { planAlert(alerts[alert], requestID: request.id, request: request) }
        }
        for requestID in input.orphanedRequestIDs[share.orphanedRequests] where observation.unknown[requestID] == nil {
            for alert in input.alertsByRequest[requestID]! { planAlert(alerts[alert], requestID: requestID, request: nil) }
        }
        for requestID in input.lookedUp[share.lookedUp] where input.alertsByRequest[requestID] == nil && observation.unknown[requestID] == nil {
            planResolutionRecord(requestID, request: input.requestsByID[requestID].map { requests[$0] })
        }
    }

    // MARK: Requests

    mutating func planRequest(_ request: AccessRequest, openAlert: Alert?) {
        let route = desiredState(for: request)
        report(route.desired, for: request)
        guard request.state == .pending, !request.isExpired(at: now), observation.unknown[request.id] == nil else { return }
        if let alert = openAlert {
            planAlertRecord(request, alert: alert)
        } else {
            planAlertCreation(request, routing: route.routing)
        }
        planApproval(request, desired: route.desired, routing: route.routing)
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

    /// The request's desired annotations and where they route, as resolved for the look (a
    /// request that was not resolved with the look, such as one rewritten to a single role, is
    /// resolved on its own).
    func desiredState(for request: AccessRequest) -> RequestRoute {
        routes[request] ?? desired.route(for: request)
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
