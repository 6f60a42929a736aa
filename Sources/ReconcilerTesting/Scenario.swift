import AccessReconciler
import Foundation

/// A state of both sides read from a fixture file (`fixtures/*.yaml`): requests, alerts, plugin
/// data and on-call lists, plus the `now` it is meant to be looked at. Tests (and later the sandbox
/// and the benchmark) seed their backends from it.
public struct Scenario: Sendable {
    public var cluster: String
    public var now: Date
    public var requests: [AccessRequest]
    public var alerts: [Alert]
    public var pluginData: [String: RequestPluginData]
    public var onCall: [String: [String]]
    /// Teleport's users (name → traits), as the cluster holds them; a user manifest may say other.
    public var users: [String: [String: [String]]]

    public init(cluster: String, now: Date, requests: [AccessRequest] = [], alerts: [Alert] = [],
                pluginData: [String: RequestPluginData] = [:], onCall: [String: [String]] = [:],
                users: [String: [String: [String]]] = [:]) {
        self.cluster = cluster
        self.now = now
        self.requests = requests
        self.alerts = alerts
        self.pluginData = pluginData
        self.onCall = onCall
        self.users = users
    }

    /// Reads a scenario file; errors name the file, line and field.
    public static func load(path: String) throws -> Scenario {
        let documents = try YAMLDocumentReader.read(file: path)
        guard documents.count == 1, let root = documents[0].root else {
            throw YAMLInputError.syntax(SourceLocation(file: path, line: 1), problem: "a scenario is one YAML document")
        }
        documents[0].describe(as: "scenario")
        try root.requireOnlyKeys(["cluster", "now", "requests", "alerts", "plugin_data", "on_call", "users"])
        guard let now = try root.field("now")?.date() else { throw root.invalid("missing `now`") }
        var scenario = Scenario(cluster: try root.field("cluster")?.string() ?? "teleport.example.com", now: now)
        scenario.requests = try root.field("requests")?.sequence().map(request) ?? []
        scenario.alerts = try root.field("alerts")?.sequence().map(alert) ?? []
        if let data = try root.field("plugin_data") {
            for (requestID, plugins) in try data.mapping() {
                var entries: [String: [String: String]] = [:]
                for (plugin, values) in try plugins.mapping() {
                    entries[plugin] = try Dictionary(values.mapping().map { ($0.key, try $0.value.string()) }, uniquingKeysWith: { $1 })
                }
                scenario.pluginData[requestID] = RequestPluginData(entries: entries)
            }
        }
        scenario.onCall = try root.field("on_call")?.stringListMap() ?? [:]
        if let users = try root.field("users") {
            for (name, traits) in try users.mapping() { scenario.users[name] = try traits.stringListMap() }
        }
        return scenario
    }

    /// The same scenario moved in time so that its `now` is `date` (every request, review and alert
    /// time moves along), for fakes that run on the real clock.
    public func shifted(to date: Date) -> Scenario {
        let offset = date.timeIntervalSince(now)
        func move(_ value: Date?) -> Date? { value?.addingTimeInterval(offset) }
        var moved = self
        moved.now = date
        moved.requests = requests.map { request in
            var request = request
            request.created = request.created.addingTimeInterval(offset)
            request.accessExpires = move(request.accessExpires)
            request.resourceExpires = move(request.resourceExpires)
            request.maxDuration = move(request.maxDuration)
            request.reviews = request.reviews.map { review in
                var review = review
                review.created = review.created.addingTimeInterval(offset)
                return review
            }
            return request
        }
        moved.alerts = alerts.map { alert in
            var alert = alert
            alert.createdAt = alert.createdAt.addingTimeInterval(offset)
            return alert
        }
        return moved
    }

    /// In-memory backends holding this scenario's state.
    public func makeBackends(reviewer: String = "access-reconciler", aliasBatchSize: Int = 20)
        -> (requests: InMemoryAccessRequests, alerts: InMemoryAlertBackend) {
        (InMemoryAccessRequests(cluster: cluster, requests: requests, pluginData: pluginData, reviewer: reviewer,
                                users: users.map { TeleportUser(name: $0.key, traits: $0.value) }),
         InMemoryAlertBackend(alerts: alerts, onCall: onCall, aliasBatchSize: aliasBatchSize))
    }

    private static func request(_ value: YAMLValue) throws -> AccessRequest {
        try value.requireOnlyKeys(["id", "user", "roles", "state", "created", "expires", "resource_expires", "max_duration",
                                   "reason", "resolve_reason", "system_annotations", "reviews"])
        guard let id = try value.field("id")?.string() else { throw value.invalid("missing `id`") }
        guard let user = try value.field("user")?.string() else { throw value.invalid("missing `user`") }
        let stateName = try value.field("state")?.string() ?? "PENDING"
        guard let state = RequestState(name: stateName) else { throw value.invalid("unknown state `\(stateName)`") }
        guard let created = try value.field("created")?.date() else { throw value.invalid("missing `created`") }
        return AccessRequest(
            id: id, user: user, roles: try value.field("roles")?.stringList() ?? [], state: state, created: created,
            accessExpires: try value.field("expires")?.date(), resourceExpires: try value.field("resource_expires")?.date(),
            maxDuration: try value.field("max_duration")?.date(),
            requestReason: try value.field("reason")?.string() ?? "", resolveReason: try value.field("resolve_reason")?.string() ?? "",
            systemAnnotations: try value.field("system_annotations")?.stringListMap() ?? [:],
            reviews: try value.field("reviews")?.sequence().map { review in
                let stateName = try review.field("state")?.string() ?? "APPROVED"
                guard let state = RequestState(name: stateName) else { throw review.invalid("unknown state `\(stateName)`") }
                return AccessReview(author: try review.field("author")?.string() ?? "", proposedState: state,
                                    reason: try review.field("reason")?.string() ?? "",
                                    created: try review.field("created")?.date() ?? created)
            } ?? [])
    }

    private static func alert(_ value: YAMLValue) throws -> Alert {
        try value.requireOnlyKeys(["id", "alias", "message", "status", "tags", "details", "responders", "created_at", "count"])
        guard let id = try value.field("id")?.string() else { throw value.invalid("missing `id`") }
        let statusName = try value.field("status")?.string() ?? "open"
        guard let status = Alert.Status(rawValue: statusName) else { throw value.invalid("unknown status `\(statusName)`") }
        let responders: [Responder] = try value.field("responders")?.sequence().map { entry in
            let kindName = try entry.field("type")?.string() ?? ""
            guard let kind = Responder.Kind(rawValue: kindName) else { throw entry.invalid("unknown responder type `\(kindName)`") }
            return Responder(kind: kind, id: try entry.field("id")?.string(), name: try entry.field("name")?.string())
        } ?? []
        var details: [String: String] = [:]
        for (key, detail) in try value.field("details")?.mapping() ?? [] { details[key] = try detail.string() }
        return Alert(id: id, alias: try value.field("alias")?.string() ?? "", message: try value.field("message")?.string() ?? "",
                     status: status, tags: try value.field("tags")?.stringList() ?? [], details: details, responders: responders,
                     createdAt: try value.field("created_at")?.date() ?? Date(timeIntervalSince1970: 0),
                     count: try value.field("count")?.int() ?? 1)
    }
}
