import Foundation
import Logging

/// Looks at both sides once and returns an `Observation`. Listing failures propagate (the run then
/// does nothing); a failed lookup about some requests, or a failed on-call lookup, is recorded as
/// unknown so that the planner holds back on just that.
public struct Observer: Sendable {
    public let requests: any AccessRequestPort
    public let alerts: any AlertBackend
    /// Resolves each look's requests once; the lookups and the planner read the answer.
    public let desired: DesiredState
    let logger: Logger

    public var policy: PlanningPolicy { desired.policy }

    public init(requests: any AccessRequestPort, alerts: any AlertBackend, desired: DesiredState,
                logger: Logger = Logger(label: "access-reconciler.observe")) {
        self.requests = requests
        self.alerts = alerts
        self.desired = desired
        self.logger = logger
    }

    public func observe(now: Date) async throws -> Observation {
        let cluster = try await requests.clusterName()
        let tags = [policy.ownerTag, AlertDetails.clusterTag(cluster, limit: policy.tagLimit)]
        let plugin = alerts.pluginName
        async let listedRequests = requests.listAccessRequests()
        async let listedPluginData = requests.listPluginData(plugin: plugin)
        async let listedAlerts = alerts.listOpenAlerts(taggedWith: tags)
        let allRequests = try await listedRequests
        let routes = desired.routes(for: allRequests)
        // Who is on call depends only on the requests: ask while the alerts are listed and looked up.
        let live = allRequests.filter { $0.state == .pending && !$0.isExpired(at: now) }
        async let onCallLookup = lookUpOnCall(for: live, routes: routes)
        async let userLookup = lookUpUsers(for: live)
        let pluginData = try await listedPluginData.compactMapValues { $0.entries[plugin].map(PluginEntry.init) }
        // Cluster isolation rests on the exact tags, which the backend's listing promises to keep.
        var found = try await listedAlerts
        logger.debug("observed", metadata: ["requests": "\(allRequests.count)", "alerts": "\(found.count)"])

        let tagged = Set(found.compactMap(\.requestID))
        let needLookup = Self.requestsToLookUp(requests: allRequests, pluginData: pluginData, tagged: tagged, now: now,
                                               routable: { routes[$0]?.routing.hasRoute ?? true })
        let lookup = await lookUpAliases(needLookup)
        found += lookup.alerts
        let onCall = await onCallLookup
        var observation = Observation(cluster: cluster, requests: allRequests, alerts: found, lookedUp: lookup.lookedUp, onCall: onCall,
                                      pluginData: pluginData, unknown: lookup.unknown)
        observation.routes = routes
        observation.users = await userLookup
        // Only requests that may get an alert now: live, looked up, and without an open one.
        let withAlert = Set(found.compactMap(\.requestID))
        let creating = live.filter { lookup.lookedUp.contains($0.id) && !withAlert.contains($0.id) }
        await checkResponders(of: creating, routes: routes, into: &observation)
        return observation
    }

    /// The requests whose alias must be looked up, because the tagged listing cannot tell whether an
    /// open alert has their alias: Teleport's plugin tags nothing, and a crash can leave its alert
    /// unrecorded, or recorded as resolved while still open. In request-ID order.
    ///
    /// - a live pending request without an alert of the job's (to adopt the plugin's alert, or
    ///   to know that none is open before creating one), unless it has no route and no plugin
    ///   data, so that no alert is wanted and none was raised for it;
    /// - a resolved, expired or deleted request (known from plugin data) without an alert of the
    ///   job's, until the job has seen its alert closed (`reconciler_checked`).
    ///
    /// A run with nothing to do looks up nothing: the job's own alerts are tagged, and the requests
    /// it has closed are marked.
    public static func requestsToLookUp(requests: [AccessRequest], pluginData: [String: PluginEntry], tagged: Set<String>,
                                 now: Date, routable: (AccessRequest) -> Bool = { _ in true }) -> [String] {
        var result = Set<String>()
        var listed = Set<String>()
        for request in requests {
            listed.insert(request.id)
            guard !tagged.contains(request.id) else { continue }
            let live = request.state == .pending && !request.isExpired(at: now)
            if live {
                if pluginData[request.id] != nil || routable(request) { result.insert(request.id) }
            } else if !(pluginData[request.id]?.closeChecked ?? false) {
                result.insert(request.id)
            }
        }
        for (requestID, data) in pluginData where !listed.contains(requestID) && !tagged.contains(requestID) && !data.closeChecked {
            result.insert(requestID)
        }
        return result.sorted()
    }

    /// Looks up aliases in the backend's batches, concurrently (the backend bounds its own
    /// concurrency and rate). A failed batch leaves its requests unknown.
    private func lookUpAliases(_ requestIDs: [String]) async -> (alerts: [Alert], lookedUp: Set<String>, unknown: [String: String]) {
        var alertsFound: [Alert] = []
        var lookedUp = Set<String>()
        var unknown: [String: String] = [:]
        let size = max(1, alerts.aliasBatchSize)
        let batches = stride(from: 0, to: requestIDs.count, by: size).map { Array(requestIDs[$0..<min($0 + size, requestIDs.count)]) }
        await withTaskGroup(of: ([String], Result<[Alert], Error>).self) { group in
            for batch in batches {
                group.addTask { [alerts] in
                    do {
                        return (batch, .success(try await alerts.openAlerts(aliases: batch.map(AlertAlias.forRequest))))
                    } catch {
                        return (batch, .failure(error))
                    }
                }
            }
            for await (batch, result) in group {
                switch result {
                case let .success(open):
                    // Open alerts of these aliases only, as the port promises.
                    lookedUp.formUnion(batch)
                    alertsFound += open
                case let .failure(error):
                    logger.warning("alias lookup failed", metadata: ["requests": "\(batch.count)", "error": "\(error)"])
                    for requestID in batch { unknown[requestID] = "looking up the alert \(AlertAlias.forRequest(requestID)) failed: \(error)" }
                }
            }
        }
        return (alertsFound, lookedUp, unknown)
    }

    /// Asks the backend about the responders alerts would be created with; when it cannot tell,
    /// those requests are unknown (nothing is created for them this run).
    private func checkResponders(of requests: [AccessRequest], routes: RequestRoutes, into observation: inout Observation) async {
        var byRequest: [String: [Responder]] = [:]
        for request in requests {
            byRequest[request.id] = (routes[request] ?? desired.route(for: request)).routing.responders
        }
        let responders = Set(byRequest.values.joined()).sorted()
        guard !responders.isEmpty else { return }
        do {
            observation.unknownResponders = try await alerts.unknownResponders(responders)
        } catch {
            logger.warning("responder lookup failed", metadata: ["error": "\(error)"])
            for requestID in byRequest.keys where observation.unknown[requestID] == nil {
                observation.unknown[requestID] = "looking up the alert's responders failed: \(error)"
            }
        }
    }

    /// Reads the Teleport user of each pending requester once, when the requester's address is its
    /// e-mail trait: the trait the identity provider set at the last login is what Teleport knows
    /// of the person, where a manifest may be old. At most `userReadsInFlight` at a time.
    private func lookUpUsers(for pending: [AccessRequest]) async -> [String: LiveUser] {
        let approval = policy.autoApproval
        guard approval.enabled, let reviewer = approval.reviewer, approval.identity == .emailTrait else { return [:] }
        let names = Set(pending.map(\.user)).subtracting([reviewer]).sorted()
        var users: [String: LiveUser] = [:]
        await withTaskGroup(of: (String, LiveUser).self) { group in
            var next = names.makeIterator()
            func start() -> Bool {
                guard let name = next.next() else { return false }
                group.addTask { [requests] in
                    do {
                        guard let user = try await requests.user(named: name) else { return (name, .notFound) }
                        // An answer about another user proves nothing about this one.
                        guard user.name == name else { return (name, .failed(reason: "Teleport answered with the user \(user.name)")) }
                        return (name, .found(user))
                    } catch let error as UserUnreadable {
                        return (name, .unreadable(reason: error.reason))
                    } catch {
                        return (name, .failed(reason: "\(error)"))
                    }
                }
                return true
            }
            for _ in 0..<Self.userReadsInFlight where start() {}
            for await (name, user) in group {
                users[name] = user
                if case let .failed(reason) = user {
                    logger.warning("reading a Teleport user failed", metadata: ["user": "\(name)", "error": "\(reason)"])
                }
                _ = start()
            }
        }
        return users
    }

    /// Reads of Teleport users in flight at a time.
    static let userReadsInFlight = 8

    /// Reads each approval schedule once.
    private func lookUpOnCall(for pending: [AccessRequest], routes: RequestRoutes) async -> OnCallSnapshot {
        var snapshot = OnCallSnapshot()
        guard policy.autoApproval.enabled, policy.autoApproval.reviewer != nil else { return snapshot }
        var schedules = Set<String>()
        for request in pending {
            schedules.formUnion((routes[request] ?? desired.route(for: request)).routing.approvalSchedules)
        }
        // Each schedule once: together when the backend shares work between them, otherwise
        // concurrently (the backend bounds its own concurrency and rate).
        let answers: [OnCallAnswer]
        if let batched = alerts as? any BatchedOnCallLookup {
            answers = await batched.onCallRecipients(schedules: schedules.sorted())
        } else {
            answers = await OnCallAnswer.gather(schedules.sorted()) { [alerts] in try await alerts.onCallRecipients(schedule: $0) }
        }
        for answer in answers {
            if let recipients = answer.recipients, !answer.unnamed.isEmpty {
                let reason = answer.unnamedReason ?? "the backend cannot name them"
                logger.notice("some people on call cannot be named", metadata: ["schedule": "\(answer.schedule)", "accounts": "\(answer.unnamed)"])
                snapshot.schedules[answer.schedule] = .partial(OnCallIdentity.comparable(recipients), unnamed: answer.unnamed, reason: reason)
            } else if let recipients = answer.recipients {
                snapshot.schedules[answer.schedule] = .known(OnCallIdentity.comparable(recipients))
            } else {
                let reason = answer.failure ?? "no answer"
                logger.warning("on-call lookup failed", metadata: ["schedule": "\(answer.schedule)", "error": "\(reason)"])
                snapshot.schedules[answer.schedule] = .unknown(reason: reason)
            }
        }
        return snapshot
    }
}
