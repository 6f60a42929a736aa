import AccessReconciler
import Foundation
import HTTPSupport
import Logging

/// The alert side over Jira Service Management Operations (`/jsm/ops/api/{cloudId}/v1`, Basic
/// authentication, URLSession). Lists are complete or fail; writes are confirmed through the
/// request status; schedule and team names are resolved to ids once per run; on-call lists are
/// account ids, turned into e-mail addresses through the users file or Jira's user API, and the
/// accounts that cannot be named by address are reported beside the addresses, never dropped.
public final class JSMAlertBackend: BatchedOnCallLookup, Sendable {
    public let configuration: JSMConfiguration
    /// The transport, paced per JSM bucket.
    typealias Transport = APITransport<JSMBucket>
    let transport: Transport
    let directory: JSMDirectory
    private let logger: Logger

    /// Page size of alert listings (the API's maximum).
    static let pageSize = 100
    /// `offset + size` must stay below this.
    static let offsetCap = 20_000
    /// Pages of schedules read for one name (50 a page) before the lookup gives up.
    static let schedulePageLimit = 20
    /// Statuses of an alert that is done (`AlertResponse.status`); every other one (`open`,
    /// `acked`, `snoozed`) is still open.
    static let doneStatuses: Set<String> = ["closed", "resolved"]

    public init(configuration: JSMConfiguration, logger: Logger = Logger(label: "access-reconciler.jsm")) {
        self.configuration = configuration
        self.logger = logger
        let credential = Data("\(configuration.user):\(configuration.apiToken.value)".utf8).base64EncodedString()
        let dialect = APIDialect(
            service: "JSM Operations",
            authorization: { "Basic \(credential)" },
            errorDetails: { ((try? JSONDecoder().decode(JSMErrorBody.self, from: $0.body))?.text, nil) },
            // Retry-After is a wait the service asks for, not a window the job may leave sooner.
            throttlePeriod: { Int($0.header("Retry-After") ?? "") ?? 1 }, throttlePeriodIsWait: true,
            routeSegments: ["jsm", "ops", "api", "v1", "alerts", "notes", "close", "requests", "schedules", "on-calls", "teams",
                            "rest", "3", "user", "bulk", "search"])
        transport = Transport(dialect: dialect, hosts: [configuration.apiURL] + (configuration.siteURL.map { [$0] } ?? []),
                              rateLimits: configuration.rateLimits, maxConcurrentRequests: configuration.maxConcurrentRequests,
                              retry: configuration.retry, requestTimeout: configuration.requestTimeout, logger: logger)
        directory = JSMDirectory()
    }

    /// The job's own plugin entry: no Teleport plugin speaks JSM, and the Opsgenie plugin's entry
    /// must never be read as a record of a JSM alert.
    public var pluginName: String { "access-reconciler-jsm" }
    /// The API documents no tag limit; Opsgenie's 50 characters is assumed.
    public var tagLimit: Int { PlanningPolicy.tagLength }
    public var aliasBatchSize: Int { 20 }

    // MARK: Reading alerts

    /// The search for open alerts carrying every tag in `tags`: what a run lists, and `check` probes.
    static func openAlertsQuery(taggedWith tags: [String]) -> String {
        (tags.map { "tag:\(quoted($0))" } + [openQuery]).joined(separator: " AND ")
    }

    public func listOpenAlerts(taggedWith tags: [String]) async throws -> [Alert] {
        let query = Self.openAlertsQuery(taggedWith: tags)
        return try await list(query: query, operation: "list open alerts tagged \(tags.joined(separator: ", "))")
            .filter { alert in tags.allSatisfy(alert.tags.contains) }
    }

    public func openAlerts(aliases: [String]) async throws -> [Alert] {
        guard !aliases.isEmpty else { return [] }
        let wanted = Set(aliases)
        let terms = aliases.map { "alias:\(Self.quoted($0))" }.joined(separator: " OR ")
        let operation = aliases.count == 1 ? "look up alert \(aliases[0])" : "look up \(aliases.count) alerts by alias"
        return try await list(query: "\(Self.openQuery) AND (\(terms))", operation: operation)
            .filter { wanted.contains($0.alias) }
            .map { alert in
                var alert = alert
                alert.origin = .alias
                return alert
            }
    }

    /// Every open alert the query finds, page by page; a listing deeper than the API serves fails.
    private func list(query: String, operation: String) async throws -> [Alert] {
        var result: [Alert] = []
        var seen = Set<String>()
        var offset = 0
        while true {
            guard offset + Self.pageSize <= Self.offsetCap else {
                throw APIError(service: "JSM Operations", operation: operation,
                               kind: .incomplete("more than \(Self.offsetCap) alerts match; the API serves no deeper page"))
            }
            let url = listingURL(query: query, offset: offset, size: Self.pageSize)
            let page = try decode(JSMAlertPage.self, try await transport.send(.init(method: "GET", url: url, bucket: .alertRead,
                                                                                    operation: operation)), operation: operation)
            let values = page.values ?? []
            for item in values where seen.insert(item.id).inserted {
                let alert = try Self.alert(from: item, operation: operation)
                if alert.status == .open { result.append(alert) }
            }
            offset += values.count
            // Another page while either part of the answer says so: the narrative documents
            // `links.next`, the schema the total `count`. Pages are counted by offset, so the
            // form of `links.next` (a URL or a path) does not matter.
            let more = page.links?.next != nil || page.count.map { offset < $0 } == true
            guard more, !values.isEmpty else { return result }
        }
    }

    /// One page of the alert search, oldest first.
    func listingURL(query: String, offset: Int, size: Int) -> URL {
        opsURL(["alerts"], query: [
            URLQueryItem(name: "query", value: query), URLQueryItem(name: "offset", value: String(offset)),
            URLQueryItem(name: "size", value: String(size)), URLQueryItem(name: "sort", value: "createdAt"),
            URLQueryItem(name: "order", value: "asc"),
        ])
    }

    public func alert(id: String) async throws -> Alert? {
        let operation = "read alert \(id)"
        let response = try await transport.send(.init(method: "GET", url: opsURL(["alerts", id]), bucket: .alertRead,
                                                      operation: operation, accepting: [404]))
        if response.status == 404 { return nil }
        return try Self.alert(from: decode(JSMAlert.self, response, operation: operation), operation: operation)
    }

    // MARK: Writing alerts

    public func createAlert(_ draft: AlertDraft) async throws -> String {
        let operation = "create alert \(draft.alias)"
        guard draft.alias.utf16.count <= JSMFieldLimits.alias else {
            throw APIError(service: "JSM Operations", operation: operation, kind: .malformed("the alias is longer than \(JSMFieldLimits.alias) characters"))
        }
        // Every responder must resolve, or no alert is created: an alert missing its on-call team
        // would page nobody.
        var responders: [JSMCreateAlert.Responder] = []
        for responder in draft.responders.prefix(JSMFieldLimits.responders) {
            responders.append(.init(id: try await responderID(responder, operation: operation), type: responder.kind.rawValue))
        }
        let payload = JSMCreateAlert(
            message: JSMFieldLimits.shorten(draft.message, to: JSMFieldLimits.message), alias: draft.alias,
            description: JSMFieldLimits.shorten(draft.description, to: JSMFieldLimits.description), responders: responders,
            tags: draft.tags, extraProperties: JSMFieldLimits.extraProperties(draft.details), priority: draft.priority.rawValue,
            source: JSMFieldLimits.shorten(configuration.actor, to: JSMFieldLimits.source))
        let request = Transport.Request(method: "POST", url: opsURL(["alerts"]), body: try JSONEncoder().encode(payload),
                                           bucket: .alertWrite, operation: operation, retryTransportFailures: false)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let status = try await submit(request)
                guard let alertID = status.alertId, !alertID.isEmpty else {
                    throw APIError(service: "JSM Operations", operation: operation, kind: .malformed("the request status names no alert"))
                }
                return alertID
            } catch let error as APIError {
                // A lost answer leaves it open whether the alert was created: look by alias before
                // sending again, so that a retry does not raise it twice.
                guard case .transport = error.kind, attempt < configuration.retry.maxAttempts else { throw error }
                if let existing = try await openAlerts(aliases: [draft.alias]).first {
                    logger.notice("create answer was lost; the alert exists", metadata: ["alias": "\(draft.alias)", "alert": "\(existing.id)"])
                    return existing.id
                }
                try await Task.sleep(for: configuration.retry.delay(after: attempt))
            }
        }
    }

    public func addNote(alertID: String, note: String) async throws {
        let operation = "add note to alert \(alertID)"
        let body = try JSONEncoder().encode(JSMNoteRequest(note: JSMFieldLimits.shorten(note, to: JSMFieldLimits.note)))
        let request = Transport.Request(method: "POST", url: opsURL(["alerts", alertID, "notes"]), body: body,
                                           bucket: .alertWrite, operation: operation)
        let response = try await transport.send(request)
        // Documented as synchronous (200 with the note); an asynchronous acceptance is waited for.
        if response.status == 202 { _ = try await awaitStatus(of: response, request: request) }
    }

    /// JSM's close takes no note: the resolution is posted as a note first, unless the alert has
    /// it already (a run stopped between the note and the close). An alert that is not open any
    /// more (closed or resolved by a person) is left as it is.
    @discardableResult
    public func closeAlert(alertID: String, note: String) async throws -> Bool {
        guard let current = try await alert(id: alertID), current.status == .open else { return false }
        let text = JSMFieldLimits.shorten(note, to: JSMFieldLimits.note)
        if !(try await notes(alertID: alertID).contains(text)) { try await addNote(alertID: alertID, note: note) }
        let operation = "close alert \(alertID)"
        do {
            _ = try await submit(.init(method: "POST", url: opsURL(["alerts", alertID, "close"]), bucket: .alertWrite,
                                       operation: operation))
            return true
        } catch let error as APIError {
            guard case .rejected = error.kind, let after = try await alert(id: alertID), after.status == .closed else { throw error }
            return false
        }
    }

    /// Every note on an alert, page by page (`after` cursors).
    func notes(alertID: String) async throws -> [String] {
        let operation = "read the notes of alert \(alertID)"
        var result: [String] = []
        var after: String?
        for _ in 0..<100 {
            let query = [URLQueryItem(name: "size", value: "100")] + (after.map { [URLQueryItem(name: "after", value: $0)] } ?? [])
            let page = try decode(JSMNotePage.self, try await transport.send(.init(method: "GET", url: opsURL(["alerts", alertID, "notes"], query: query),
                                                                                   bucket: .alertRead, operation: operation)),
                                  operation: operation)
            let values = page.values ?? []
            result += values.compactMap(\.note)
            guard let next = page.links?.next, !values.isEmpty,
                  let cursor = URLComponents(string: next)?.queryItems?.first(where: { $0.name == "after" })?.value, cursor != after else {
                return result
            }
            after = cursor
        }
        throw APIError(service: "JSM Operations", operation: operation, kind: .incomplete("more than 100 pages of notes"))
    }

    // MARK: On call

    public func callCounts() -> [EndpointCalls] {
        transport.statistics.snapshot.map {
            EndpointCalls(backend: .jsm, endpoint: $0.key, calls: $0.value.calls, retries: $0.value.retries, throttled: $0.value.throttled)
        }.sorted { $0.endpoint < $1.endpoint }
    }

    public func pacing() async -> [BucketPacing] {
        await transport.pacing().map { BucketPacing(bucket: "JSM \($0.key)", pace: $0.value.pace, ceiling: $0.value.ceiling, throttles: $0.value.throttles) }
    }

    /// The addresses on call in `schedule`; throws when anyone on call has no known address, as
    /// the port asks of a single lookup. The run itself uses the batched lookup, which keeps a
    /// partial answer for what it proves.
    public func onCallRecipients(schedule: String) async throws -> [String] {
        let operation = "read who is on call in \(schedule)"
        let accounts = try await onCallAccounts(schedule)
        let named = Self.named(accounts, by: try await emailAddresses(of: accounts, operation: operation))
        guard named.unnamed.isEmpty else {
            throw APIError(service: "JSM Operations", operation: operation, kind: .incomplete(
                "no e-mail address for account(s) \(named.unnamed.joined(separator: ", ")): \(Self.unnamedReason)"))
        }
        return named.addresses
    }

    /// Every schedule's on-call accounts first, then their addresses together: one user-API call
    /// per 50 people rather than one per schedule. An account without a known address is named in
    /// the answer's `unnamed`: it can match nobody, and it does not hide who else is on call.
    public func onCallRecipients(schedules: [String]) async -> [OnCallAnswer] {
        let accounts = await OnCallAnswer.gather(schedules) { [self] in try await onCallAccounts($0) }
        let everyone = Set(accounts.compactMap(\.recipients).joined()).sorted()
        let emails: [String: String]
        do {
            emails = try await emailAddresses(of: everyone, operation: "read who is on call")
        } catch {
            return accounts.map { $0.recipients == nil ? $0 : OnCallAnswer(schedule: $0.schedule, failure: error) }
        }
        return accounts.map { answer in
            guard let people = answer.recipients else { return answer }
            let named = Self.named(people, by: emails)
            return OnCallAnswer(schedule: answer.schedule, recipients: named.addresses, unnamed: named.unnamed,
                                unnamedReason: named.unnamed.isEmpty ? nil : Self.unnamedReason)
        }
    }

    /// Why an account on call can have no address.
    static let unnamedReason = "the user API shows no e-mail address (hidden by the user's profile visibility, or this account cannot browse users) and jsm.users_file does not list it"

    /// The account ids on call in a schedule, read once per run.
    func onCallAccounts(_ schedule: String) async throws -> [String] {
        try await directory.onCall(schedule) { [self] in try await onCallAccounts(schedule, at: nil) }
    }

    /// `getOnCalls` with `flat=true`: the account ids on call in `schedule`, at `date` when given
    /// (a runs sends none; `check` compares the two). Never cached.
    func onCallAccounts(_ schedule: String, at date: Date?) async throws -> [String] {
        let operation = "read who is on call in \(schedule)" + (date == nil ? "" : " (for now)")
        let scheduleID = try await responderID(Responder(kind: .schedule, value: schedule), operation: operation)
        var query = [URLQueryItem(name: "flat", value: "true")]
        if let date { query.append(URLQueryItem(name: "date", value: date.formatted(Date.ISO8601FormatStyle()))) }
        let response = try await transport.send(.init(method: "GET", url: opsURL(["schedules", scheduleID, "on-calls"], query: query),
                                                      bucket: .schedule, operation: operation))
        return try decode(JSMOnCallUsers.self, response, operation: operation).onCallUsers ?? []
    }

    /// The addresses of `accounts` that have one, and the accounts (sorted, once each) that have none.
    static func named(_ accounts: [String], by emails: [String: String]) -> (addresses: [String], unnamed: [String]) {
        (accounts.compactMap { emails[$0] }, Set(accounts.filter { emails[$0] == nil }).sorted())
    }

    /// E-mail addresses of accounts: the users file first, then Jira's user API in bulk (50 a
    /// call, following `isLast` where the site pages shorter). Accounts left without an address
    /// (hidden, unknown, no site to ask, a value that is no address) are absent.
    private func emailAddresses(of accounts: [String], operation: String) async throws -> [String: String] {
        var found: [String: String] = [:]
        var missing: [String] = []
        for account in Set(accounts) {
            let remembered = await directory.email(of: account)
            if let email = configuration.knownEmails[account] ?? remembered { found[account] = email } else { missing.append(account) }
        }
        missing.sort()
        if !missing.isEmpty, let site = configuration.siteURL {
            for batch in stride(from: 0, to: missing.count, by: 50).map({ Array(missing[$0..<min($0 + 50, missing.count)]) }) {
                var startAt = 0
                while startAt < batch.count {
                    let query = batch.map { URLQueryItem(name: "accountId", value: $0) } + [
                        URLQueryItem(name: "startAt", value: String(startAt)), URLQueryItem(name: "maxResults", value: String(batch.count)),
                    ]
                    let url = Self.url(site, ["rest", "api", "3", "user", "bulk"], query: query)
                    let page = try decode(JiraUserPage.self, try await transport.send(.init(method: "GET", url: url, bucket: .user,
                                                                                            operation: operation + " (e-mail addresses)")),
                                          operation: operation)
                    let users = page.values ?? []
                    for user in users {
                        // `emailAddress` is null or absent when hidden; anything without an `@`
                        // is taken as hidden too, never as an address to compare with.
                        guard let email = user.emailAddress, email.contains("@") else { continue }
                        found[user.accountId] = email
                        await directory.remember(email: email, of: user.accountId)
                    }
                    // A site may answer fewer users than asked for: go on while it says more are left.
                    guard page.isLast == false, !users.isEmpty else { break }
                    startAt += users.count
                }
            }
        }
        return found
    }

    // MARK: Names to ids

    public func unknownResponders(_ responders: [Responder]) async throws -> [Responder: String] {
        var unknown: [Responder: String] = [:]
        for responder in responders {
            do {
                _ = try await responderID(responder, operation: "look up \(responder)")
            } catch let error as JSMNameError {
                unknown[responder] = error.description
            }
        }
        return unknown
    }

    /// A responder's id: a UUID as it is, a schedule or team name looked up once per run.
    func responderID(_ responder: Responder, operation: String) async throws -> String {
        if let id = responder.id { return id }
        let name = responder.name ?? ""
        switch responder.kind {
        case .schedule:
            return try await directory.scheduleID(name) { [self] in
                // `query` is documented to match the name exactly (ignoring case); the pages are
                // followed all the same, in case a site matches more widely, and the name is
                // compared here.
                var matches: [JSMSchedulePage.Schedule] = []
                var offset = 0
                for _ in 0..<Self.schedulePageLimit {
                    let url = opsURL(["schedules"], query: [URLQueryItem(name: "query", value: name), URLQueryItem(name: "size", value: "50"),
                                                            URLQueryItem(name: "offset", value: String(offset))])
                    let page = try decode(JSMSchedulePage.self, try await transport.send(.init(
                        method: "GET", url: url, bucket: .schedule, operation: "find schedule \(name)")), operation: operation)
                    let values = page.values ?? []
                    matches += values.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                    offset += values.count
                    guard page.links?.next != nil, !values.isEmpty else { break }
                }
                guard matches.count == 1 else { throw JSMNameError(kind: "schedule", name: name, matches: matches.count) }
                return matches[0].id
            }
        case .team:
            let teams = try await directory.teams { [self] in
                let response = try await transport.send(.init(method: "GET", url: opsURL(["teams"]), bucket: .schedule,
                                                              operation: "list teams"))
                return (try decode(JSMTeams.self, response, operation: "list teams").platformTeams ?? []).map { ($0.teamName, $0.teamId) }
            }
            let matches = teams.filter { $0.0.caseInsensitiveCompare(name) == .orderedSame }
            guard matches.count == 1 else { throw JSMNameError(kind: "team", name: name, matches: matches.count) }
            return matches[0].1
        case .user, .escalation:
            throw JSMNameError(kind: responder.kind.rawValue, name: name, matches: 0)
        }
    }

    // MARK: Helpers

    /// Sends an asynchronous write and waits until its status shows it processed.
    private func submit(_ request: Transport.Request) async throws -> JSMRequestStatus {
        try await awaitStatus(of: try await transport.send(request), request: request)
    }

    private func awaitStatus(of response: APIResponse, request: Transport.Request) async throws -> JSMRequestStatus {
        let accepted = try decode(JSMAccepted.self, response, operation: request.operation)
        guard let requestID = accepted.requestId, !requestID.isEmpty else {
            throw APIError(service: "JSM Operations", operation: request.operation, kind: .malformed("the answer names no request id"))
        }
        let statusRequest = Transport.Request(method: "GET", url: opsURL(["alerts", "requests", requestID]),
                                                 bucket: .alertRead, operation: request.operation, accepting: [404])
        // Holds no write slot while it waits (`ProcessingWait`).
        let processed = try await configuration.statusPolling.poll(sleep: { try await ProcessingWait.sleep(for: $0) }) { () -> JSMRequestStatus? in
            let statusResponse = try await transport.send(statusRequest)
            // Not processed yet: a 404, as with Opsgenie, or an answer with no outcome.
            guard statusResponse.status != 404 else { return nil }
            let status = try decode(JSMRequestStatus.self, statusResponse, operation: request.operation)
            return status.isPending ? nil : status
        }
        guard let status = processed else { throw APIError(service: "JSM Operations", operation: request.operation, kind: .notProcessed) }
        guard status.isSuccess == true else {
            throw APIError(service: "JSM Operations", operation: request.operation, kind: .rejected(status: status.status ?? "unknown"),
                           message: status.status)
        }
        return status
    }

    func opsURL(_ path: [String], query: [URLQueryItem] = []) -> URL {
        Self.url(configuration.apiURL, ["jsm", "ops", "api", configuration.cloudID, "v1"] + path, query: query)
    }

    static func url(_ base: URL, _ path: [String], query: [URLQueryItem] = []) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        let encoded = path.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathSegmentUnreserved) ?? $0 }.joined(separator: "/")
        var components = URLComponents(string: text + "/" + encoded)!
        if !query.isEmpty {
            components.queryItems = query
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        return components.url!
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: APIResponse, operation: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw APIError(service: "JSM Operations", operation: operation, kind: .malformed("\(error)"))
        }
    }

    static func alert(from item: JSMAlert, operation: String) throws -> Alert {
        guard let created = item.createdAt.flatMap(parseTimestamp) else {
            throw APIError(service: "JSM Operations", operation: operation, kind: .malformed("alert \(item.id) has no readable createdAt"))
        }
        let responders = (item.responders ?? []).compactMap { responder -> Responder? in
            guard let kind = responder.type.flatMap(Responder.Kind.init(rawValue:)) else { return nil }
            return Responder(kind: kind, id: responder.id)
        }
        let open = !doneStatuses.contains((item.status ?? "").lowercased())
        return Alert(id: item.id, alias: item.alias ?? "", message: item.message ?? "", status: open ? .open : .closed,
                     tags: item.tags ?? [], details: item.extraProperties ?? [:], responders: responders, createdAt: created,
                     count: item.count ?? 1, origin: .tagged)
    }

    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }

    /// The search term for alerts that may be open. The search syntax documents `status` with the
    /// values `open` and `closed` only, and does not say whether an acknowledged or snoozed alert
    /// is `status:open` to it: `NOT status:closed` finds them under either reading, and each
    /// alert's own `status` decides (`resolved` ones are dropped).
    static let openQuery = "NOT status:closed"

    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// A schedule or team name that resolves to no id, or to more than one.
public struct JSMNameError: Error, Sendable, CustomStringConvertible {
    public var kind: String
    public var name: String
    public var matches: Int

    public var description: String {
        matches == 0
            ? "JSM Operations has no \(kind) named `\(name)` that this account can see; no alert is created without it"
            : "JSM Operations has \(matches) \(kind)s named `\(name)`; name it by id"
    }
}
