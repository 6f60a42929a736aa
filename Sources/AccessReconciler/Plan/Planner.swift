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
        return Plan(cluster: observation.cluster, generatedAt: now,
                    actions: order.map { work.actions[$0] },
                    findings: work.findings.sorted { ($0.requestID ?? "", $0.kind.rawValue, $0.alertID ?? "", $0.message)
                        < ($1.requestID ?? "", $1.kind.rawValue, $1.alertID ?? "", $1.message) })
    }
}

/// One planning pass; a separate value so that the planner's rules read top to bottom.
private struct PlanWork {
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
    private func uniqueOpenAlerts() -> [Alert] {
        var byID: [String: Alert] = [:]
        for alert in observation.alerts where alert.status == .open {
            if byID[alert.id]?.origin == .tagged { continue }
            byID[alert.id] = alert
        }
        return byID.keys.sorted().map { byID[$0]! }
    }

    // MARK: Requests

    private mutating func planRequest(_ request: AccessRequest, openAlerts: [Alert]) {
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
    private mutating func planAlertRecord(_ request: AccessRequest, alert: Alert) {
        let current = observation.pluginData[request.id]?.opsgenie ?? [:]
        guard (current[PluginDataKey.alertID] ?? "").isEmpty else { return }
        var set = [PluginDataKey.alertID: alert.id]
        for (key, value) in PluginRecord.requestKeys(request) where (current[key] ?? "").isEmpty && !value.isEmpty { set[key] = value }
        let why = alert.origin == .tagged ? "the job's alert \(alert.id) is not recorded in plugin data"
            : "open alert \(alert.id) has the request's alias but plugin data records no alert; adopting it instead of creating another"
        actions.append(.recordAlert(RecordAlert(requestID: request.id, alertID: alert.id, set: set, reason: why)))
    }

    /// The request's desired annotations and where they route. Results from the manifests are
    /// shared by every request of the same user and roles; a fallback to live annotations is not.
    private mutating func desiredState(for request: AccessRequest) -> (desired: DesiredAnnotations, routing: Routing) {
        let key = DesiredKey(user: request.user, roles: request.roles)
        if let cached = desiredCache[key] { return cached }
        let desired = resolver.resolve(user: request.user, requestedRoles: request.roles, live: request.systemAnnotations)
        let state = (desired, Routing(annotations: desired.annotations, policy: policy))
        if desired.source == .manifests { desiredCache[key] = state }
        return state
    }

    private mutating func report(_ desired: DesiredAnnotations, for request: AccessRequest) {
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

    private mutating func planAlertCreation(_ request: AccessRequest, routing: Routing) {
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
        let tags = [policy.ownerTag, AlertDetails.clusterTag(observation.cluster), "teleport-access-request"]
        let draft = AlertDraft(message: AlertText.message(user: request.user), alias: request.alertAlias,
                               description: AlertText.description(for: request, webProxyURL: policy.webProxyURL),
                               responders: routing.responders, priority: policy.priority, tags: tags,
                               details: AlertDetails.forRequest(request, cluster: observation.cluster, ownerTag: policy.ownerTag))
        let targets = routing.responders.map(\.description).joined(separator: ", ")
        actions.append(.createAlert(CreateAlert(requestID: request.id, draft: draft, record: PluginRecord.requestKeys(request),
                                                reason: "pending request from \(request.user) for \(request.roles.joined(separator: ", ")) has no open alert; notify \(targets)")))
    }

    /// Approves when the requester is on call, on no weaker grounds than Teleport's plugin: only on
    /// schedules that both the manifests and the request's own `teleport.dev/schedules` name, with
    /// the configured identity, and never as a second automated approval.
    private mutating func planApproval(_ request: AccessRequest, desired: DesiredAnnotations, routing: Routing) {
        let approval = policy.autoApproval
        guard approval.enabled, !routing.approvalSchedules.isEmpty else { return }
        guard let reviewer = approval.reviewer, !reviewer.isEmpty else { return }
        guard request.user != reviewer else { return }
        let address: Result<String, OnCallIdentity.Unknown>
        if let cached = addressCache[request.user] {
            address = cached
        } else {
            address = OnCallIdentity.address(for: request.user, identity: approval.identity,
                                             traits: resolver.manifests.users[request.user]?.traits, emailDomain: approval.emailDomain)
            addressCache[request.user] = address
        }
        guard case let .success(address) = address else {
            if case let .failure(unknown) = address {
                findings.append(Finding(kind: .identityUnknown, requestID: request.id,
                                        message: "\(unknown.reason): cannot look for the requester on call"))
            }
            return
        }
        var onCallIn: [String] = []
        var unknown: [String] = []
        for schedule in routing.approvalSchedules {
            switch observation.onCall.schedules[schedule] {
            case let .known(recipients)?:
                if recipients.contains(address) { onCallIn.append(schedule) }
            case let .unknown(reason)?:
                unknown.append("\(schedule) (\(reason))")
            case nil:
                unknown.append("\(schedule) (not looked up)")
            }
        }
        guard !onCallIn.isEmpty else {
            if !unknown.isEmpty {
                findings.append(Finding(kind: .onCallUnknown, requestID: request.id,
                                        message: "who is on call is unknown for \(unknown.joined(separator: ", ")); not approving"))
            }
            return
        }
        // The request's own annotation decides too, as it alone does for Teleport's plugin: with
        // manifests [A, B] and a live [A], only A approves.
        let approvable: [String]
        if desired.source == .manifests {
            let live = Set(request.systemAnnotations[RequestAnnotation.schedules] ?? [])
            approvable = onCallIn.filter(live.contains)
        } else {
            approvable = onCallIn
        }
        let reason = approvable.isEmpty
            ? "the request's own \(RequestAnnotation.schedules) annotation does not name \(onCallIn.joined(separator: ", "))"
            : withheldReason(request, reviewer: reviewer, policy: approval)
        if let reason {
            findings.append(Finding(kind: .approvalWithheld, requestID: request.id,
                                    message: "\(address) is on call in \(onCallIn.joined(separator: ", ")), but \(reason); left to a reviewer"))
            return
        }
        let schedules = approvable.joined(separator: ", ")
        actions.append(.approveRequest(ApproveRequest(
            requestID: request.id, user: request.user, schedules: approvable,
            reviewReason: "Access request automatically approved by \(reviewer): \(request.user) is on call in schedule(s) \(schedules).",
            reason: "\(address) is on call in \(schedules)")))
    }

    /// Why the auto-approval policy keeps a request for a person, or nil when it may be approved.
    private func withheldReason(_ request: AccessRequest, reviewer: String, policy approval: AutoApprovalPolicy) -> String? {
        let automated = Set([reviewer] + approval.automatedReviewers)
        if let prior = request.reviews.first(where: { automated.contains($0.author) && $0.proposedState == .approved }) {
            return "it already carries an automated approval (by \(prior.author)); the job never adds a second one"
        }
        if request.reviews.contains(where: { $0.author == reviewer }) {
            return "\(reviewer) has reviewed it already"
        }
        if !approval.roles.isEmpty {
            let outside = request.roles.filter { role in !approval.roles.contains { $0.matches(role) } }
            if !outside.isEmpty {
                return "auto-approval is limited to roles \(approval.roles.map(\.source).joined(separator: ", ")) and \(outside.joined(separator: ", ")) is not among them"
            }
        }
        if let limit = approval.maxRequestAge, now.timeIntervalSince(request.created) > limit {
            return "it was created \(GoDuration.format(now.timeIntervalSince(request.created))) ago and auto-approval is limited to requests younger than \(GoDuration.format(limit))"
        }
        if let limit = approval.maxDuration {
            guard let end = request.maxDuration ?? request.accessExpires else {
                return "the requested duration is unknown and auto-approval is limited to \(GoDuration.format(limit))"
            }
            let requested = end.timeIntervalSince(request.created)
            if requested > limit {
                return "it asks for \(GoDuration.format(requested)) and auto-approval is limited to \(GoDuration.format(limit))"
            }
        }
        return nil
    }

    // MARK: Alerts

    private mutating func planAlert(_ alert: Alert, requestID: String, request: AccessRequest?) {
        guard let request else {
            close(alert, requestID: requestID, resolution: .expired, resolveReason: "",
                  reason: "request \(requestID) no longer exists in Teleport (expired requests are deleted)")
            return
        }
        if request.state == .pending || request.state == .none {
            if request.isExpired(at: now) {
                close(alert, requestID: requestID, resolution: .expired, resolveReason: "",
                      reason: "request expired at \((request.resourceExpires ?? now).formatted(.iso8601))")
            } else {
                checkResponders(alert, request: request)
            }
            return
        }
        guard let resolution = Resolution(state: request.state) else { return }
        let posted = observation.pluginData[requestID]?.reviewsCount ?? 0
        for (index, review) in request.reviews.enumerated() where index >= posted {
            actions.append(.addNote(AddNote(requestID: requestID, alertID: alert.id, note: AlertText.reviewNote(review),
                                            reviewsCountAfter: index + 1,
                                            reason: "review by \(review.author) (\(review.proposedState)) not yet on the alert")))
        }
        close(alert, requestID: requestID, resolution: resolution, resolveReason: request.resolveReason,
              reason: "request was \(resolution.rawValue)\(request.resolveReason.isEmpty ? "" : ": \(request.resolveReason)")")
    }

    private mutating func close(_ alert: Alert, requestID: String, resolution: Resolution, resolveReason: String, reason: String) {
        actions.append(.closeAlert(CloseAlert(requestID: requestID, alertID: alert.id, resolution: resolution,
                                              resolveReason: resolveReason,
                                              note: AlertText.resolutionNote(resolution, reason: resolveReason), reason: reason,
                                              record: resolutionRecord(requestID, resolution: resolution, resolveReason: resolveReason))))
    }

    /// A resolved, expired or deleted request that was looked up and has no open alert: record
    /// that, so that later runs need no lookup for it.
    private mutating func planResolutionRecord(_ requestID: String, request: AccessRequest?) {
        let resolution: Resolution
        var resolveReason = ""
        if let request {
            if request.state == .pending || request.state == .none {
                guard request.isExpired(at: now) else { return }
                resolution = .expired
            } else {
                guard let decided = Resolution(state: request.state) else { return }
                resolution = decided
                resolveReason = request.resolveReason
            }
        } else {
            resolution = .expired
        }
        guard !(observation.pluginData[requestID]?.closeChecked ?? false) else { return }
        let recorded = observation.pluginData[requestID]?.resolution
        actions.append(.recordResolution(RecordResolution(
            requestID: requestID, set: resolutionRecord(requestID, resolution: resolution, resolveReason: resolveReason),
            reason: "request is \(recorded ?? resolution.rawValue) and no open alert has its alias; recording that it needs nothing more")))
    }

    /// The plugin-data keys that mark a request as resolved and its alert as seen closed; a
    /// resolution Teleport's plugin already recorded is kept.
    private func resolutionRecord(_ requestID: String, resolution: Resolution, resolveReason: String) -> [String: String] {
        let current = observation.pluginData[requestID]?.opsgenie ?? [:]
        var set: [String: String] = [:]
        if (current[PluginDataKey.resolution] ?? "").isEmpty {
            set[PluginDataKey.resolution] = resolution.rawValue
            set[PluginDataKey.resolveReason] = resolveReason
        }
        set[PluginDataKey.reconcilerChecked] = current[PluginDataKey.resolution].flatMap { $0.isEmpty ? nil : $0 } ?? resolution.rawValue
        return set
    }

    private mutating func checkResponders(_ alert: Alert, request: AccessRequest) {
        guard !alert.responders.isEmpty else { return }
        let desired = desiredState(for: request).routing.responders
        // Opsgenie lists responders by id only; names can be compared only with names.
        guard let actual = Self.comparable(alert.responders, like: desired), let wanted = Self.comparable(desired, like: alert.responders),
              actual != wanted else { return }
        let missing = wanted.subtracting(actual).sorted().joined(separator: ", ")
        let extra = actual.subtracting(wanted).sorted().joined(separator: ", ")
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing)") }
        if !extra.isEmpty { parts.append("not expected \(extra)") }
        findings.append(Finding(kind: .responderDrift, requestID: request.id, alertID: alert.id,
                                message: "alert \(alert.id) responders differ from the desired ones: \(parts.joined(separator: "; "))"))
    }

    /// The responders as comparable keys, by name when both sides all have names, else by id when
    /// both sides all have ids; nil when the two sides cannot be compared.
    private static func comparable(_ responders: [Responder], like other: [Responder]) -> Set<String>? {
        let both = responders + other
        if both.allSatisfy({ $0.name != nil }) {
            return Set(responders.map { "\($0.kind.rawValue) \($0.name!.lowercased())" })
        }
        if both.allSatisfy({ $0.id != nil }) {
            return Set(responders.map { "\($0.kind.rawValue) \($0.id!.lowercased())" })
        }
        return nil
    }
}
