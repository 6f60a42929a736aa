import Foundation

/// A fake Jira Service Management Operations API (and the bits of the Jira site the job uses) on
/// loopback: Basic authentication, asynchronous writes with request status (404 until processed),
/// alias de-duplication, the alert query subset, offset paging with `links.next` and the 20,000
/// cap, field limits (422, which the official description states only as `maximum`), a rate limit
/// per bucket (429 with `Retry-After`), schedules, teams and flat on-call lists of account ids, the
/// Jira user API (`/rest/api/3/user/bulk`, with hidden addresses), `/_edge/tenant_info`, and
/// injectable faults. It records every call.
public actor FakeJSM {
    /// A schedule, its id and the accounts on call in it.
    public struct Schedule: Sendable, Hashable {
        public var id: String
        public var name: String
        public var accounts: [String]
    }

    /// An Atlassian account as the user API shows it.
    public struct Account: Sendable, Hashable {
        public var id: String
        public var email: String
        /// Profile visibility hides the address: the user API answers `emailAddress: null`-free.
        public var hidden: Bool
    }

    public nonisolated let cloudID: String
    public let user: String
    public let apiToken: String
    public private(set) var alerts: [FakeAlert] = [] {
        didSet { alertsVersion &+= 1 }
    }
    /// Counts changes to `alerts`, for `listings`.
    private var alertsVersion = 0
    private var listings = FakeListingCache()
    private var positionByID: [String: Int] = [:]
    private var openPositionByAlias: [String: Int] = [:]
    public private(set) var calls: [RecordedCall] = []
    public var faults: FakeServiceFaults
    /// Rate limits per bucket (`alerts`, `schedules`, `users`); none by default.
    public var rateLimits: [String: FakeRateLimit] = [:]
    /// Status polls answered 404 before a request's status is shown.
    public var statusDelayPolls = 1
    /// How much of the search syntax listings accept.
    public var queryGrammar = FakeQueryGrammar.documented
    /// How it answers where the documents are silent.
    public var readings = FakeJSMReadings()
    private var scripted: [FakeScriptedFault] = []
    private var schedules: [String: Schedule] = [:]
    private var teams: [String: String] = [:]
    private var onCallWithoutDate: [String: [String]] = [:]
    private var accounts: [String: Account] = [:]
    private var statuses: [String: [String: Any]] = [:]
    private var pollsLeft: [String: Int] = [:]
    /// When set, a write's status shows only once this long (drawn from the range, in seconds)
    /// has passed since it was accepted, as a real service processes writes in its own time; the
    /// polls of `statusDelayPolls` are not counted then.
    public private(set) var processingDelay: ClosedRange<Double>?
    private var processedAt: [String: Date] = [:]
    private var windows = FakeRateWindows<String>()
    private var random: SplitMix64
    private var nextTinyID = 1
    private var server: LoopbackHTTPServer?
    private let clock: @Sendable () -> Date

    /// The server's base URL: both the API gateway and the Jira site.
    public private(set) var baseURL = URL(string: "http://127.0.0.1:0")!

    public init(cloudID: String = UUID().uuidString.lowercased(), user: String, apiToken: String, faults: FakeServiceFaults = FakeServiceFaults(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.cloudID = cloudID
        self.user = user
        self.apiToken = apiToken
        self.faults = faults
        self.random = SplitMix64(seed: faults.seed)
        self.clock = clock
    }

    public static func start(user: String, apiToken: String, faults: FakeServiceFaults = FakeServiceFaults(),
                             clock: @escaping @Sendable () -> Date = { Date() }) async throws -> FakeJSM {
        let fake = FakeJSM(user: user, apiToken: apiToken, faults: faults, clock: clock)
        let server = try await LoopbackHTTPServer { [fake] request in await fake.handle(request) }
        await fake.attach(server)
        return fake
    }

    private func attach(_ server: LoopbackHTTPServer) {
        self.server = server
        baseURL = server.baseURL
    }

    public func stop() async {
        await server?.shutdown()
    }

    // MARK: Seeding and inspection

    public func setFaults(_ faults: FakeServiceFaults) {
        self.faults = faults
        random = SplitMix64(seed: faults.seed)
    }

    public func setRateLimit(_ bucket: String, _ limit: FakeRateLimit?) { rateLimits[bucket] = limit }
    public func setStatusDelayPolls(_ polls: Int) { statusDelayPolls = polls }
    public func setProcessingDelay(_ seconds: ClosedRange<Double>?) { processingDelay = seconds }
    public func setQueryGrammar(_ grammar: FakeQueryGrammar) { queryGrammar = grammar }
    public func setReadings(_ readings: FakeJSMReadings) { self.readings = readings }
    public func script(_ faults: FakeScriptedFault...) { scripted.append(contentsOf: faults) }

    /// The account of an e-mail address (the same one each time); `hidden` changes whether the
    /// user API shows the address, nil leaves it as it is.
    @discardableResult
    public func account(email: String, hidden: Bool? = nil) -> Account {
        if var existing = accounts.values.first(where: { $0.email.caseInsensitiveCompare(email) == .orderedSame }) {
            if let hidden, hidden != existing.hidden {
                existing.hidden = hidden
                accounts[existing.id] = existing
            }
            return existing
        }
        let id = Self.accountID(for: email)
        let account = Account(id: id, email: email, hidden: hidden ?? false)
        accounts[id] = account
        return account
    }

    /// Adds a schedule whose on-call list is these people (by e-mail address).
    @discardableResult
    public func addSchedule(name: String, onCall emails: [String]) -> Schedule {
        let schedule = Schedule(id: schedules[name]?.id ?? UUID().uuidString.lowercased(), name: name,
                                accounts: emails.map { account(email: $0).id })
        schedules[name] = schedule
        return schedule
    }

    @discardableResult
    public func addTeam(name: String) -> String {
        if let id = teams[name] { return id }
        let id = UUID().uuidString.lowercased()
        teams[name] = id
        return id
    }

    /// Makes the on-call list of `schedule` without a `date` these people instead of those on call
    /// now: a site that reads the missing date as another time (the description states no default).
    public func setOnCallWithoutDate(schedule: String, emails: [String]?) {
        onCallWithoutDate[schedule] = emails.map { $0.map { account(email: $0).id } }
    }

    /// Deletes a schedule, as an administrator might while roles still route to it.
    public func removeSchedule(name: String) { schedules[name] = nil }

    /// Deletes a team, as an administrator might while alerts still name it.
    public func removeTeam(name: String) { teams[name] = nil }

    public func schedule(named name: String) -> Schedule? { schedules[name] }
    public func teamID(named name: String) -> String? { teams[name] }

    public func seed(_ alert: FakeAlert) {
        var alert = alert
        alert.tinyId = String(nextTinyID)
        nextTinyID += 1
        positionByID[alert.id] = alerts.count
        if Self.isOpen(alert.status) { openPositionByAlias[alert.alias] = alerts.count }
        alerts.append(alert)
    }

    public func alert(alias: String, status: String? = nil) -> FakeAlert? {
        alerts.first { $0.alias == alias && (status == nil || $0.status == status) }
    }

    /// Changes an alert's status as a person in JSM would (acknowledge, resolve, close).
    public func setStatus(_ status: String, alertID: String) {
        guard let index = positionByID[alertID] else { return }
        alerts[index].status = status
        if !Self.isOpen(status), openPositionByAlias[alerts[index].alias] == index { openPositionByAlias[alerts[index].alias] = nil }
    }

    public func clearCalls() { calls.removeAll() }

    /// Calls per endpoint, e.g. `POST /v1/alerts`, with ids replaced by `{id}`.
    public func callCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for call in calls { counts[Self.endpoint(call.request), default: 0] += 1 }
        return counts
    }

    // MARK: Serving

    func handle(_ request: HTTPRequestRecord) async -> HTTPReply {
        var headers = request.headers
        let expected = "Basic " + Data("\(user):\(apiToken)".utf8).base64EncodedString()
        let authorized = headers.removeValue(forKey: "authorization") == expected
        var recorded = request
        recorded.headers = headers
        let index = calls.count
        calls.append(RecordedCall(request: recorded, authorized: authorized, status: nil, receivedAt: clock()))
        if faults.latency > .zero { try? await Task.sleep(for: faults.latency) }
        let reply = respond(request, authorized: authorized)
        if case let .response(status, _, body) = reply {
            calls[index].status = status
            calls[index].responseBody = body
        }
        let delay = faults.answerDelay(method: request.method)
        if delay > .zero { try? await Task.sleep(for: delay) }
        return reply
    }

    private func respond(_ request: HTTPRequestRecord, authorized: Bool) -> HTTPReply {
        let segments = request.segments
        if request.method == "GET", segments == ["_edge", "tenant_info"] { return .json(200, ["cloudId": cloudID]) }
        guard authorized else { return .json(401, ["code": 401, "message": "Unauthorized"]) }
        let bucket = Self.bucket(segments)
        if let limit = rateLimits[bucket], let period = windows.admit(bucket, under: limit, at: clock().timeIntervalSince1970) {
            return .json(429, ["errors": [["title": "Rate limit exceeded", "code": "429"]]], headers: ["Retry-After": String(period)])
        }
        var dropAfter = false
        if !scripted.isEmpty {
            switch scripted.removeFirst() {
            case let .status(status): return failure(status, "Injected failure")
            case let .throttle(period): return .json(429, ["errors": [["title": "Rate limit exceeded", "code": "429"]]], headers: ["Retry-After": String(period)])
            case .drop: return .dropConnection
            case .dropAfterProcessing: dropAfter = true
            }
        }
        if faults.serverErrorRate > 0, random.nextUnit() < faults.serverErrorRate { return failure(503, "Service Unavailable") }
        if faults.dropRate > 0, random.nextUnit() < faults.dropRate { return .dropConnection }
        let reply = route(request, segments: segments)
        return dropAfter ? .dropConnection : reply
    }

    private func route(_ request: HTTPRequestRecord, segments: [String]) -> HTTPReply {
        if segments == ["rest", "api", "3", "user", "bulk"], request.method == "GET" { return users(request) }
        let prefix = ["jsm", "ops", "api", cloudID, "v1"]
        guard segments.count > prefix.count, Array(segments.prefix(prefix.count)) == prefix else {
            return failure(404, "No such endpoint")
        }
        let path = Array(segments.dropFirst(prefix.count))
        switch (request.method, path.count) {
        case ("GET", 1) where path == ["alerts"]: return listAlerts(request)
        case ("POST", 1) where path == ["alerts"]: return createAlert(request)
        case ("GET", 3) where path[0...1] == ["alerts", "requests"]: return requestStatus(path[2])
        case ("GET", 2) where path[0] == "alerts" && path[1] != "alias": return getAlert(path[1])
        case ("POST", 3) where path[0] == "alerts" && path[2] == "notes": return addNote(request, alertID: path[1])
        case ("GET", 3) where path[0] == "alerts" && path[2] == "notes": return listNotes(request, alertID: path[1])
        case ("POST", 3) where path[0] == "alerts" && path[2] == "close": return close(request, alertID: path[1])
        case ("GET", 1) where path == ["schedules"]: return listSchedules(request)
        case ("GET", 3) where path[0] == "schedules" && path[2] == "on-calls": return onCalls(request, scheduleID: path[1])
        case ("GET", 1) where path == ["teams"]:
            return .json(200, ["platformTeams": teams.sorted { $0.key < $1.key }.map { ["teamId": $0.value, "teamName": $0.key] }])
        default: return failure(404, "No such endpoint")
        }
    }

    // MARK: Alerts

    private func listAlerts(_ request: HTTPRequestRecord) -> HTTPReply {
        guard let size = Int(request.queryValue("size") ?? "20"), (1...100).contains(size) else { return failure(422, "size must be between 1 and 100") }
        guard let offset = Int(request.queryValue("offset") ?? "0"), offset >= 0 else { return failure(422, "offset must not be negative") }
        guard offset + size <= 20_000 else { return failure(422, "More than 20000 alerts cannot be retrieved") }
        let order = request.queryValue("order") ?? "desc"
        guard ["asc", "desc"].contains(order) else { return failure(422, "order must be asc or desc") }
        guard (request.queryValue("sort") ?? "createdAt") == "createdAt" else { return failure(422, "the fake sorts by createdAt only") }
        let query: FakeAlertQuery
        switch FakeAlertQuery.parse(request.queryValue("query") ?? "") {
        case let .success(parsed): query = parsed
        case let .failure(failure): return self.failure(422, failure.reason)
        }
        if let problem = queryGrammar.problem(in: query) { return failure(422, problem) }
        let matching = listings.alerts(key: "\(order) \(request.queryValue("query") ?? "")", version: alertsVersion) {
            let sorted = alerts.filter { query.matches($0) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            return order == "desc" ? sorted.reversed() : sorted
        }
        let page = Array(matching.dropFirst(offset).prefix(size))
        var links: [String: String] = [:]
        if offset + size < matching.count {
            var components = URLComponents()
            components.path = "/v1/alerts"
            components.queryItems = request.query.filter { $0.name != "offset" }.map { URLQueryItem(name: $0.name, value: $0.value) }
                + [URLQueryItem(name: "offset", value: String(offset + size))]
            links["next"] = readings.paging == .nextURLOnly ? baseURL.absoluteString + "/jsm/ops/api/\(cloudID)" + components.string! : components.string
        }
        switch readings.paging {
        case .nextAndCount: return .json(200, ["values": page.map(json), "count": matching.count, "links": links])
        case .countOnly: return .json(200, ["values": page.map(json), "count": matching.count])
        case .nextURLOnly: return .json(200, ["values": page.map(json), "links": links])
        }
    }

    private func getAlert(_ id: String) -> HTTPReply {
        guard let index = positionByID[id] else { return failure(404, "Alert not found") }
        return .json(200, json(alerts[index]))
    }

    private func createAlert(_ request: HTTPRequestRecord) -> HTTPReply {
        guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else { return failure(400, "Could not read the body") }
        if let problem = Self.fieldProblem(body) { return failure(422, problem) }
        let responders = body["responders"] as? [[String: Any]] ?? []
        for responder in responders {
            let id = responder["id"] as? String ?? ""
            let known: Bool
            switch responder["type"] as? String {
            case "schedule": known = schedules.values.contains { $0.id == id }
            case "team": known = teams.values.contains(id)
            case "user": known = accounts[id] != nil
            default: known = false
            }
            guard known else { return failure(422, "Responder \(id) does not exist") }
        }
        let alias = (body["alias"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        let now = clock()
        if let index = openPositionByAlias[alias] {
            alerts[index].count += 1
            alerts[index].updatedAt = now
            return accepted(action: "Create", status: "Alert with alias [\(alias)] already exists, count increased", alertID: alerts[index].id, alias: alias)
        }
        let alert = FakeAlert(id: UUID().uuidString.lowercased() + "-" + String(Int(now.timeIntervalSince1970 * 1000)), alias: alias,
                                      message: body["message"] as? String ?? "", description: body["description"] as? String ?? "",
                                      tags: body["tags"] as? [String] ?? [], details: body["extraProperties"] as? [String: String] ?? [:],
                                      responders: responders.map { $0.compactMapValues { $0 as? String } },
                                      priority: body["priority"] as? String ?? "P3", source: body["source"] as? String ?? "127.0.0.1", createdAt: now)
        seed(alert)
        return accepted(action: "Create", status: "Created alert", alertID: alert.id, alias: alias)
    }

    private func addNote(_ request: HTTPRequestRecord, alertID: String) -> HTTPReply {
        guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any], let note = body["note"] as? String, !note.isEmpty else {
            return failure(422, "note is required")
        }
        guard note.count <= 25_000 else { return failure(422, "note can not be longer than 25000 characters") }
        guard let index = positionByID[alertID] else { return failure(404, "Alert not found") }
        alerts[index].notes.append(note)
        let stamp = Self.timestamp(clock())
        return .json(200, ["id": String(alerts[index].notes.count), "note": note, "owner": user, "createdAt": stamp, "updatedAt": stamp])
    }

    /// Notes oldest first, `after` being the position of the last note seen.
    private func listNotes(_ request: HTTPRequestRecord, alertID: String) -> HTTPReply {
        guard let size = Int(request.queryValue("size") ?? "20"), (1...100).contains(size) else { return failure(422, "size must be between 1 and 100") }
        guard let index = positionByID[alertID] else { return failure(404, "Alert not found") }
        let start = Int(request.queryValue("after") ?? "0") ?? 0
        let notes = alerts[index].notes
        let page = Array(notes.enumerated().dropFirst(start).prefix(size))
        var links: [String: String] = [:]
        if start + page.count < notes.count { links["next"] = "/v1/alerts/\(alertID)/notes?after=\(start + page.count)" }
        let stamp = Self.timestamp(alerts[index].updatedAt)
        return .json(200, ["values": page.map { ["id": String($0.offset + 1), "note": $0.element, "owner": user, "createdAt": stamp, "updatedAt": stamp] },
                           "links": links])
    }

    private func close(_ request: HTTPRequestRecord, alertID: String) -> HTTPReply {
        guard request.body.isEmpty else { return failure(400, "close takes no body") }
        guard let index = positionByID[alertID] else {
            return accepted(action: "Close", status: "Alert does not exist", alertID: nil, alias: nil, success: false)
        }
        guard Self.isOpen(alerts[index].status) else {
            return accepted(action: "Close", status: "Alert is already closed", alertID: alertID, alias: alerts[index].alias, success: false, code: 202)
        }
        setStatus("closed", alertID: alertID)
        alerts[index].updatedAt = clock()
        return accepted(action: "Close", status: "Closed alert", alertID: alertID, alias: alerts[index].alias, code: 202)
    }

    private func requestStatus(_ id: String) -> HTTPReply {
        guard let status = statuses[id] else { return failure(404, "request is not found") }
        let due = processedAt[id].map { clock() < $0 } ?? false
        if due || (pollsLeft[id] ?? 0) > 0 {
            if !due { pollsLeft[id]! -= 1 }
            switch readings.pendingStatus {
            case .notFound: return failure(404, "request is not found")
            case .noOutcome: return .json(200, ["action": status["action"] ?? "", "isSuccess": false, "status": "Request is being processed"])
            }
        }
        return .json(200, status)
    }

    // MARK: Schedules, teams, people

    private func listSchedules(_ request: HTTPRequestRecord) -> HTTPReply {
        guard let size = Int(request.queryValue("size") ?? "25"), (1...50).contains(size) else { return failure(422, "size must be between 1 and 50") }
        guard let offset = Int(request.queryValue("offset") ?? "0"), offset >= 0 else { return failure(422, "offset must not be negative") }
        let query = request.queryValue("query")
        let matching = schedules.values.filter { schedule in
            guard let query else { return true }
            if readings.scheduleQuery == .contains { return schedule.name.lowercased().contains(query.lowercased()) }
            if query.hasSuffix("*") { return schedule.name.lowercased().hasPrefix(query.dropLast().lowercased()) }
            return schedule.name.caseInsensitiveCompare(query) == .orderedSame
        }.sorted { $0.name < $1.name }
        let page = matching.dropFirst(offset).prefix(size)
        var links: [String: String] = [:]
        if offset + size < matching.count { links["next"] = "/v1/schedules?query=\(query ?? "")&size=\(size)&offset=\(offset + size)" }
        return .json(200, ["values": page.map { ["id": $0.id, "name": $0.name, "enabled": true, "timezone": "UTC"] as [String: Any] }, "links": links])
    }

    private func onCalls(_ request: HTTPRequestRecord, scheduleID: String) -> HTTPReply {
        guard let schedule = schedules.values.first(where: { $0.id == scheduleID }) else { return failure(404, "Schedule not found") }
        if let date = request.queryValue("date"), (try? Date.ISO8601FormatStyle().parse(date)) == nil {
            return failure(400, "date is not a date-time")
        }
        let accounts = request.queryValue("date") == nil ? (onCallWithoutDate[schedule.name] ?? schedule.accounts) : schedule.accounts
        if request.queryValue("flat") == "true" { return .json(200, ["onCallUsers": accounts]) }
        return .json(200, ["onCallParticipants": accounts.map { ["id": $0, "type": "user"] }])
    }

    private func users(_ request: HTTPRequestRecord) -> HTTPReply {
        let ids = request.query.filter { $0.name == "accountId" }.map(\.value)
        guard !ids.isEmpty else { return failure(400, "accountId is required") }
        let startAt = Int(request.queryValue("startAt") ?? "0") ?? 0
        let maxResults = Int(request.queryValue("maxResults") ?? "10") ?? 10
        let known = ids.compactMap { accounts[$0] }.filter { !$0.hidden || readings.hiddenAddress != .userLeftOut }
        let page = Array(known.dropFirst(startAt).prefix(min(maxResults, readings.userPageLimit ?? maxResults)))
        let values: [[String: Any]] = page.map { account in
            var user: [String: Any] = ["accountId": account.id, "accountType": "atlassian", "active": true, "displayName": account.email]
            switch (account.hidden, readings.hiddenAddress) {
            case (false, _): user["emailAddress"] = account.email
            case (true, .null): user["emailAddress"] = NSNull()
            case (true, .empty): user["emailAddress"] = ""
            case (true, .absent), (true, .userLeftOut): break
            }
            return user
        }
        return .json(200, ["values": values, "startAt": startAt, "maxResults": maxResults, "total": known.count,
                           "isLast": startAt + page.count >= known.count])
    }

    // MARK: Helpers

    private func json(_ alert: FakeAlert) -> [String: Any] {
        [
            "id": alert.id, "tinyId": alert.tinyId, "alias": alert.alias, "message": alert.message, "status": alert.status,
            "tags": alert.tags, "extraProperties": alert.details, "description": alert.description, "count": alert.count,
            "createdAt": Self.timestamp(alert.createdAt), "updatedAt": Self.timestamp(alert.updatedAt), "priority": alert.priority,
            "source": alert.source, "acknowledged": alert.status == "acked", "snoozed": alert.status == "snoozed",
            "responders": alert.responders.map { ["id": $0["id"] ?? "", "type": $0["type"] ?? ""] },
        ]
    }

    private func accepted(action: String, status: String, alertID: String?, alias: String?, success: Bool = true, code: Int = 200) -> HTTPReply {
        let requestID = UUID().uuidString.lowercased()
        var data: [String: Any] = ["action": action, "status": status, "isSuccess": success, "processedAt": Self.timestamp(clock()),
                                   "integrationId": "fake-integration"]
        if let alertID { data["alertId"] = alertID }
        if let alias { data["alias"] = alias }
        statuses[requestID] = data
        if let processingDelay {
            processedAt[requestID] = clock().addingTimeInterval(Double.random(in: processingDelay))
        } else {
            pollsLeft[requestID] = statusDelayPolls
        }
        return .json(code, ["result": "Request will be processed", "requestId": requestID, "took": 0.01])
    }

    private func failure(_ status: Int, _ title: String) -> HTTPReply {
        .json(status, ["errors": [["title": title, "code": String(status)]]])
    }

    /// The limits the official description gives as `maximum` on strings, and the list limits.
    static func fieldProblem(_ body: [String: Any]) -> String? {
        guard let message = body["message"] as? String, !message.isEmpty else { return "message is required" }
        let limits: [(String, Int)] = [("message", 130), ("alias", 512), ("description", 15_000), ("entity", 512), ("source", 100), ("note", 25_000)]
        for (field, limit) in limits {
            if let text = body[field] as? String, text.count > limit { return "\(field) can not be longer than \(limit) characters" }
        }
        if let responders = body["responders"] as? [Any], responders.count > 50 { return "responders can not be more than 50" }
        if let properties = body["extraProperties"] as? [String: String], properties.reduce(0, { $0 + $1.key.count + $1.value.count }) > 8000 {
            return "extraProperties can not be longer than 8000 characters"
        }
        return nil
    }

    static func isOpen(_ status: String) -> Bool { ["open", "acked", "snoozed"].contains(status) }

    static func bucket(_ segments: [String]) -> String {
        if segments.first == "rest" { return "users" }
        return segments.contains("schedules") || segments.contains("teams") ? "schedules" : "alerts"
    }

    /// A stable 24-hex-digit account id for an address, in the form Atlassian's examples show.
    public static func accountID(for email: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in email.lowercased().utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "5b" + String(repeating: "0", count: 22 - min(22, hex.count)) + hex.prefix(22)
    }

    static func endpoint(_ request: HTTPRequestRecord) -> String {
        let segments = request.segments
        guard segments.count > 5, segments[0] == "jsm" else { return "\(request.method) \(request.path)" }
        let path = segments.dropFirst(5).enumerated().map { index, segment in
            index == 0 || ["requests", "notes", "close", "on-calls"].contains(segment) ? segment : "{id}"
        }
        return "\(request.method) /v1/" + path.joined(separator: "/")
    }

    static func timestamp(_ date: Date) -> String { FakeOpsgenie.timestamp(date) }
}
