import AccessReconciler
import Foundation
import Logging

/// The alert side over Opsgenie's REST API v2 (URLSession). Lists are complete or fail; writes
/// are confirmed through the request status; on-call lists are read once per schedule per run.
public final class OpsgenieAlertBackend: AlertBackend, Sendable {
    public let configuration: OpsgenieConfiguration
    let transport: OpsgenieTransport
    private let onCallCache = OnceCache<String, [String]>()
    private let logger: Logger

    /// Page size of alert listings (Opsgenie's maximum).
    static let pageSize = 100
    /// Opsgenie refuses `offset + limit` beyond this; deeper pages are read by `createdAt` windows.
    let offsetCap: Int

    public convenience init(configuration: OpsgenieConfiguration, logger: Logger = Logger(label: "access-reconciler.opsgenie")) {
        self.init(configuration: configuration, offsetCap: 20_000, logger: logger)
    }

    /// With another offset cap, for tests that page past it without 20,000 alerts.
    init(configuration: OpsgenieConfiguration, offsetCap: Int, logger: Logger = Logger(label: "access-reconciler.opsgenie")) {
        self.offsetCap = offsetCap
        self.configuration = configuration
        self.logger = logger
        self.transport = OpsgenieTransport(configuration: configuration, logger: logger)
    }

    /// The entry of Teleport's Opsgenie plugin: the job and the plugin share the bookkeeping, so
    /// that neither raises a second alert for a request or undoes the other's record.
    public var pluginName: String { Self.teleportPluginName }

    /// The name of Teleport's Opsgenie plugin: its plugin-data entry, and the notification name
    /// of the Access Monitoring Rules it follows.
    public static let teleportPluginName = "opsgenie"

    /// Opsgenie keeps tags of at most 50 characters.
    public var tagLimit: Int { FieldLimits.tagLength }

    // MARK: Reading alerts

    /// Aliases per lookup query: `(alias:"…" OR …)` with 20 request aliases keeps the URL near
    /// 2 KB, well within what servers and proxies accept.
    public var aliasBatchSize: Int { 20 }

    /// The search for open alerts carrying every tag in `tags`: what a run lists, and `check` probes.
    static func openAlertsQuery(taggedWith tags: [String]) -> String {
        (tags.map { "tag:\(quoted($0))" } + ["status:open"]).joined(separator: " AND ")
    }

    public func listOpenAlerts(taggedWith tags: [String]) async throws -> [Alert] {
        let query = Self.openAlertsQuery(taggedWith: tags)
        // Opsgenie's search is not documented to match tags exactly: keep only alerts that carry
        // every tag, so that a loose match can never hand the job another cluster's alert.
        return try await list(query: query, operation: "list open alerts tagged \(tags.joined(separator: ", "))")
            .filter { alert in tags.allSatisfy(alert.tags.contains) }
    }

    /// Looks aliases up with the alert search (`alias:` terms joined by OR), not with
    /// `GET /v2/alerts/{alias}?identifierType=alias`: the request aliases contain `/`, and neither
    /// Opsgenie's documentation nor its SDKs (which put the identifier into the path unescaped)
    /// say how such an alias is sent in a path. The search documents `alias:` as matching only
    /// the open alert with that alias.
    public func openAlerts(aliases: [String]) async throws -> [Alert] {
        guard !aliases.isEmpty else { return [] }
        let wanted = Set(aliases)
        let terms = aliases.map { "alias:\(Self.quoted($0))" }.joined(separator: " OR ")
        let operation = aliases.count == 1 ? "look up alert \(aliases[0])" : "look up \(aliases.count) alerts by alias"
        return try await list(query: "status:open AND (\(terms))", operation: operation)
            .filter { $0.status == .open && wanted.contains($0.alias) }
            .map { alert in
                var alert = alert
                alert.origin = .alias
                return alert
            }
    }

    /// The open alert with `alias`, or nil.
    public func openAlert(alias: String) async throws -> Alert? {
        try await openAlerts(aliases: [alias]).first
    }

    /// Every alert matching `query`, following `paging.next` and, past Opsgenie's offset cap,
    /// continuing by `createdAt` windows; all or nothing.
    private func list(query base: String, operation: String) async throws -> [Alert] {
        var result: [Alert] = []
        var seen = Set<String>()
        var windowStart: Int64?
        while true {
            // `createdAt>` one millisecond earlier: the search syntax documents `<` and `>` on epoch
            // milliseconds, not `>=`.
            let query = base + (windowStart.map { " AND createdAt>\($0 - 1)" } ?? "")
            var request = Self.listingRequest(query: query, limit: Self.pageSize, operation: operation)
            var url = transport.url(for: request)
            var offset = 0
            var lastCreated: Int64?
            var newInWindow = 0
            while true {
                let response = try await transport.send(request, to: url)
                let page = try decode(ListAlertsEnvelope.self, response, operation: operation)
                for item in page.data {
                    let alert = try Self.alert(from: item, operation: operation)
                    lastCreated = Int64((alert.createdAt.timeIntervalSince1970 * 1000).rounded(.down))
                    if seen.insert(alert.id).inserted {
                        result.append(alert)
                        newInWindow += 1
                    }
                }
                guard let next = page.paging?.next, !page.data.isEmpty else { return result }
                offset += Self.pageSize
                if offset + Self.pageSize > offsetCap { break }
                guard let nextURL = URL(string: next) else {
                    throw OpsgenieError(operation: operation, kind: .malformed("paging.next is not a URL"))
                }
                url = nextURL
                request.query = []
            }
            // The offset cap is reached: continue from the last creation time seen. Alerts created
            // in that same millisecond are read again and skipped by id.
            guard let lastCreated, newInWindow > 0, lastCreated != windowStart else {
                throw OpsgenieError(operation: operation, kind: .incomplete("more than \(offsetCap) alerts share one creation time"))
            }
            windowStart = lastCreated
            logger.debug("alert listing continues by creation time", metadata: ["createdAt": "\(lastCreated)", "listed": "\(result.count)"])
        }
    }

    /// One page of the alert search, sorted by creation time (the order the offset cap's windows rely on).
    static func listingRequest(query: String, limit: Int, operation: String) -> OpsgenieTransport.Request {
        OpsgenieTransport.Request(
            method: "GET", path: ["v2", "alerts"],
            query: [URLQueryItem(name: "query", value: query), URLQueryItem(name: "offset", value: "0"),
                    URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "sort", value: "createdAt"),
                    URLQueryItem(name: "order", value: "asc")],
            domain: .alertRead, operation: operation)
    }

    public func alert(id: String) async throws -> Alert? {
        let operation = "read alert \(id)"
        let response = try await transport.send(.init(
            method: "GET", path: ["v2", "alerts", id], query: [URLQueryItem(name: "identifierType", value: "id")],
            domain: .alertRead, operation: operation, accepting: [404]))
        if response.status == 404 { return nil }
        return try Self.alert(from: decode(AlertEnvelope.self, response, operation: operation).data, operation: operation)
    }

    // MARK: Writing alerts

    public func createAlert(_ draft: AlertDraft) async throws -> String {
        let operation = "create alert \(draft.alias)"
        guard draft.alias.utf16.count <= FieldLimits.alias else {
            throw OpsgenieError(operation: operation, kind: .malformed("the alias is longer than \(FieldLimits.alias) characters"))
        }
        if draft.responders.count > FieldLimits.responders {
            logger.warning("more responders than Opsgenie accepts; the first \(FieldLimits.responders) are kept", metadata: ["alias": "\(draft.alias)"])
        }
        let payload = CreateAlertPayload(
            message: FieldLimits.shorten(draft.message, to: FieldLimits.message), alias: draft.alias,
            description: FieldLimits.shorten(draft.description, to: FieldLimits.description),
            responders: draft.responders.prefix(FieldLimits.responders).map {
                RecipientPayload(type: $0.kind.rawValue, id: $0.id, name: $0.id == nil ? $0.name : nil)
            },
            tags: FieldLimits.tags(draft.tags), details: FieldLimits.details(draft.details), priority: draft.priority.rawValue,
            source: FieldLimits.shorten(configuration.actor, to: FieldLimits.source),
            user: FieldLimits.shorten(configuration.actor, to: FieldLimits.user))
        let body = try JSONEncoder().encode(payload)
        let request = OpsgenieTransport.Request(method: "POST", path: ["v2", "alerts"], body: body, domain: .alertWrite,
                                                operation: operation, retryTransportFailures: false)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let status = try await submit(request)
                guard let alertID = status.alertId, !alertID.isEmpty else {
                    throw OpsgenieError(operation: operation, kind: .malformed("the request status names no alert"))
                }
                return alertID
            } catch let error as OpsgenieError {
                // A lost answer leaves it open whether Opsgenie created the alert. Look by alias
                // before sending again, so that a retry does not raise the alert a second time.
                guard case .transport = error.kind, attempt < configuration.retry.maxAttempts else { throw error }
                if let existing = try await openAlert(alias: draft.alias) {
                    logger.notice("create answer was lost; the alert exists", metadata: ["alias": "\(draft.alias)", "alert": "\(existing.id)"])
                    return existing.id
                }
                try await Task.sleep(for: configuration.retry.delay(after: attempt))
            }
        }
    }

    public func addNote(alertID: String, note: String) async throws {
        try await act(on: alertID, action: "notes", operation: "add note to alert \(alertID)",
                      payload: AlertActionPayload(note: FieldLimits.shorten(note, to: FieldLimits.note), user: actorName, source: actorName))
    }

    @discardableResult
    public func closeAlert(alertID: String, note: String) async throws -> Bool {
        do {
            try await act(on: alertID, action: "close", operation: "close alert \(alertID)",
                          payload: AlertActionPayload(note: FieldLimits.shorten(note, to: FieldLimits.note), user: actorName, source: actorName))
            return true
        } catch let error as OpsgenieError {
            // Opsgenie documents that a processed action can fail (the request status reads
            // `isSuccess: false` with a status text), but not the text for an alert that was already
            // closed. So the alert's own state decides: closed already leaves it as wanted.
            guard case .rejected = error.kind, let current = try await alert(id: alertID), current.status == .closed else { throw error }
            return false
        }
    }

    // MARK: On call

    public func callCounts() -> [EndpointCalls] {
        transport.api.statistics.snapshot.map {
            EndpointCalls(backend: .opsgenie, endpoint: $0.key, calls: $0.value.calls, retries: $0.value.retries, throttled: $0.value.throttled)
        }.sorted { $0.endpoint < $1.endpoint }
    }

    public func pacing() async -> [BucketPacing] {
        await transport.api.pacing().map { BucketPacing(bucket: "Opsgenie \($0.key)", pace: $0.value.pace, ceiling: $0.value.ceiling, throttles: $0.value.throttles) }
    }

    public func onCallRecipients(schedule: String) async throws -> [String] {
        try await onCallCache.value(for: schedule) { [self] in
            let type = Responder.isUUID(schedule) ? "id" : "name"
            let operation = "read who is on call in \(schedule)"
            let response = try await transport.send(.init(
                method: "GET", path: ["v2", "schedules", schedule, "on-calls"],
                query: [URLQueryItem(name: "scheduleIdentifierType", value: type), URLQueryItem(name: "flat", value: "true")],
                domain: .schedule, operation: operation))
            return try decode(OnCallEnvelope.self, response, operation: operation).data.onCallRecipients ?? []
        }
    }

    // MARK: Helpers

    private var actorName: String { FieldLimits.shorten(configuration.actor, to: FieldLimits.user) }

    private func act(on alertID: String, action: String, operation: String, payload: AlertActionPayload) async throws {
        let body = try JSONEncoder().encode(payload)
        _ = try await submit(.init(method: "POST", path: ["v2", "alerts", alertID, action],
                                   query: [URLQueryItem(name: "identifierType", value: "id")], body: body,
                                   domain: .alertWrite, operation: operation))
    }

    /// Sends an asynchronous write and waits for its status, first read about when a write is
    /// processed (`StatusPolling`); a processed failure is an error.
    private func submit(_ request: OpsgenieTransport.Request) async throws -> RequestStatusEnvelope.Status {
        let accepted = try decode(AcceptedEnvelope.self, try await transport.send(request), operation: request.operation)
        let statusRequest = OpsgenieTransport.Request(method: "GET", path: ["v2", "alerts", "requests", accepted.requestId],
                                                      domain: .alertRead, operation: request.operation, accepting: [404])
        // Holds no write slot while it waits (`ProcessingWait`).
        let processed = try await configuration.statusPolling.poll(sleep: { try await ProcessingWait.sleep(for: $0) }) { () -> RequestStatusEnvelope.Status? in
            let response = try await transport.send(statusRequest)
            if response.status == 404 {
                // Not processed yet; Opsgenie's own SDK retries exactly this case.
                guard response.header("X-Opsgenie-Errortype") == "RequestNotProcessed" else {
                    throw transport.error(for: response, request: statusRequest)
                }
                return nil
            }
            return try decode(RequestStatusEnvelope.self, response, operation: request.operation).data
        }
        guard let status = processed else { throw OpsgenieError(operation: request.operation, kind: .notProcessed, requestID: accepted.requestId) }
        guard status.isSuccess ?? status.success ?? false else {
            throw OpsgenieError(operation: request.operation, kind: .rejected(status: status.status ?? "unknown"),
                                message: status.status, requestID: accepted.requestId)
        }
        return status
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: OpsgenieTransport.Response, operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw OpsgenieError(operation: operation, kind: .malformed("\(error)"))
        }
    }

    static func alert(from item: AlertItem, operation: String) throws -> Alert {
        guard let created = item.createdAt.flatMap(parseTimestamp) else {
            throw OpsgenieError(operation: operation, kind: .malformed("alert \(item.id) has no readable createdAt"))
        }
        let responders = (item.responders ?? []).compactMap { responder -> Responder? in
            guard let kind = Responder.Kind(rawValue: responder.type) else { return nil }
            return Responder(kind: kind, id: responder.id, name: responder.name)
        }
        return Alert(id: item.id, alias: item.alias ?? "", message: item.message ?? "",
                     status: item.status == "closed" ? .closed : .open, tags: item.tags ?? [], details: item.details ?? [:],
                     responders: responders, createdAt: created, count: item.count ?? 1, origin: .tagged)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: withFraction) { return date }
        return try? Date(text, strategy: .iso8601)
    }

    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
