import Foundation

/// A fake Opsgenie REST API v2 on loopback, with the semantics the job depends on: `GenieKey`
/// authentication, asynchronous writes with request status (404 `RequestNotProcessed` until
/// processed), alias de-duplication, the alert query subset, `paging` links and the 20,000 offset
/// cap, field limits (422), per-domain rate limits (429 with `X-RateLimit-*` headers), on-call
/// lists, and injectable faults. It records every call.
public actor FakeOpsgenie {
    /// A schedule and who is on call in it.
    public struct Schedule: Sendable, Hashable {
        public var id: String
        public var name: String
        public var recipients: [String]
    }

    public let apiKey: String
    public private(set) var alerts: [FakeAlert] = [] {
        didSet { alertsVersion &+= 1 }
    }
    /// Counts changes to `alerts`, for `listings`.
    private var alertsVersion = 0
    private var listings = FakeListingCache()
    /// Positions in `alerts` by id, and of the open alert by alias, so lookups stay cheap when
    /// the fake holds thousands of alerts (the benchmark's).
    private var positionByID: [String: Int] = [:]
    private var openPositionByAlias: [String: Int] = [:]
    public private(set) var calls: [RecordedCall] = []
    public var faults: FakeServiceFaults
    public var rateLimits: [FakeOpsgenieDomain: FakeRateLimit] = [:]
    /// Status polls answered 404 `RequestNotProcessed` before a request's status is shown.
    public var statusDelayPolls = 1
    /// Opsgenie refuses listings with `offset + limit` above this.
    public var offsetCap = 20_000
    /// Makes `tag:` terms match loosely (prefix, any case), as a search engine may.
    public var looseTagSearch = false
    /// How much of the search syntax listings accept.
    public var queryGrammar = FakeQueryGrammar.documented
    /// The most requests the fake was serving at once.
    public private(set) var maxInFlight = 0
    private var inFlight = 0
    private var scripted: [FakeScriptedFault] = []
    private var schedules: [String: Schedule] = [:]
    private var teams: [String: String] = [:]
    private var onCallForbidden: Set<String> = []
    private var responderIDs: [String: String] = [:]
    private var statuses: [String: [String: Any]] = [:]
    private var pollsLeft: [String: Int] = [:]
    /// When set, a write's status shows only once this long (drawn from the range, in seconds)
    /// has passed since it was accepted, as a real service processes writes in its own time; the
    /// polls of `statusDelayPolls` are not counted then.
    public private(set) var processingDelay: ClosedRange<Double>?
    private var processedAt: [String: Date] = [:]
    private var windows = FakeRateWindows<FakeOpsgenieDomain>()
    private var random: SplitMix64
    private var nextTinyID = 1
    private var server: LoopbackHTTPServer?
    private let clock: @Sendable () -> Date
    /// The time the rate-limit buckets count in; the alert clock unless a test sets its own, so
    /// that throttling can be tested without waiting for real seconds.
    private var rateLimitClock: (@Sendable () -> Date)?

    /// The server's base URL, to configure the client with.
    public private(set) var baseURL = URL(string: "http://127.0.0.1:0")!

    public init(apiKey: String, faults: FakeServiceFaults = FakeServiceFaults(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.apiKey = apiKey
        self.faults = faults
        self.random = SplitMix64(seed: faults.seed)
        self.clock = clock
    }

    /// Starts a fake on a free loopback port.
    public static func start(apiKey: String, faults: FakeServiceFaults = FakeServiceFaults(),
                             clock: @escaping @Sendable () -> Date = { Date() }) async throws -> FakeOpsgenie {
        let fake = FakeOpsgenie(apiKey: apiKey, faults: faults, clock: clock)
        let server = try await LoopbackHTTPServer { [fake] request in await fake.handle(request) }
        await fake.attach(server)
        return fake
    }

    private func attach(_ server: LoopbackHTTPServer) {
        self.server = server
        baseURL = server.baseURL
    }

    /// Stops the server.
    public func stop() async {
        await server?.shutdown()
    }

    // MARK: Seeding and inspection

    public func setFaults(_ faults: FakeServiceFaults) {
        self.faults = faults
        random = SplitMix64(seed: faults.seed)
    }

    public func setRateLimit(_ domain: FakeOpsgenieDomain, _ limit: FakeRateLimit?) { rateLimits[domain] = limit }
    /// Makes the rate-limit buckets count time by `clock`.
    public func setRateLimitClock(_ clock: @escaping @Sendable () -> Date) { rateLimitClock = clock }
    public func setStatusDelayPolls(_ polls: Int) { statusDelayPolls = polls }
    public func setProcessingDelay(_ seconds: ClosedRange<Double>?) { processingDelay = seconds }
    public func setOffsetCap(_ cap: Int) { offsetCap = cap }
    public func setLooseTagSearch(_ loose: Bool) { looseTagSearch = loose }
    public func setQueryGrammar(_ grammar: FakeQueryGrammar) { queryGrammar = grammar }

    /// Queues faults for the next requests, in order.
    public func script(_ faults: FakeScriptedFault...) { scripted.append(contentsOf: faults) }

    /// Adds a schedule with its on-call recipients.
    @discardableResult
    public func addSchedule(name: String, recipients: [String]) -> Schedule {
        let schedule = Schedule(id: responderID(type: "schedule", name: name), name: name, recipients: recipients)
        schedules[name] = schedule
        return schedule
    }

    /// Answers 403 for who is on call in `schedule`, as for a key whose integration may not read it.
    public func forbidOnCall(schedule: String) { onCallForbidden.insert(schedule) }

    /// Removes a schedule (a name the manifests route to that the account does not have).
    public func removeSchedule(name: String) { schedules[name] = nil }

    /// Adds a team; returns its id.
    @discardableResult
    public func addTeam(name: String) -> String {
        let id = responderID(type: "team", name: name)
        teams[name] = id
        return id
    }

    /// Adds an alert as if created earlier (by the job, by Teleport's plugin, or by anyone).
    public func seed(_ alert: FakeAlert) {
        var alert = alert
        alert.tinyId = String(nextTinyID)
        nextTinyID += 1
        positionByID[alert.id] = alerts.count
        if alert.status == "open" { openPositionByAlias[alert.alias] = alerts.count }
        alerts.append(alert)
    }

    public func alert(alias: String, status: String? = nil) -> FakeAlert? {
        alerts.first { $0.alias == alias && (status == nil || $0.status == status) }
    }

    public func clearCalls() { calls.removeAll() }

    /// Calls per endpoint, e.g. `POST /v2/alerts`, with ids replaced by `{id}`.
    public func callCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for call in calls { counts[Self.endpoint(call.request), default: 0] += 1 }
        return counts
    }

    // MARK: Serving

    func handle(_ request: HTTPRequestRecord) async -> HTTPReply {
        var headers = request.headers
        let authorized = headers.removeValue(forKey: "authorization") == "GenieKey \(apiKey)"
        var recorded = request
        recorded.headers = headers
        let index = calls.count
        calls.append(RecordedCall(request: recorded, authorized: authorized, status: nil, receivedAt: clock()))
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        defer { inFlight -= 1 }
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
        let requestID = UUID().uuidString.lowercased()
        guard authorized else {
            return error(401, "Could not authenticate", requestID: requestID, code: 40101)
        }
        let segments = request.segments
        let domain = Self.domain(method: request.method, segments: segments)
        if let limit = rateLimits[domain],
           let period = windows.admit(domain, under: limit, at: (rateLimitClock ?? clock)().timeIntervalSince1970) {
            return throttled(domain, period: period, requestID: requestID)
        }
        var dropAfter = false
        if !scripted.isEmpty {
            switch scripted.removeFirst() {
            case let .status(status): return error(status, "Injected failure", requestID: requestID)
            case let .throttle(period): return throttled(domain, period: period, requestID: requestID)
            case .drop: return .dropConnection
            case .dropAfterProcessing: dropAfter = true
            }
        }
        if faults.serverErrorRate > 0, random.nextUnit() < faults.serverErrorRate {
            return error(503, "Service Unavailable", requestID: requestID)
        }
        if faults.dropRate > 0, random.nextUnit() < faults.dropRate { return .dropConnection }
        let reply = route(request, segments: segments, requestID: requestID)
        return dropAfter ? .dropConnection : reply
    }

    private func route(_ request: HTTPRequestRecord, segments: [String], requestID: String) -> HTTPReply {
        switch (request.method, segments.count) {
        case ("GET", 2) where segments == ["v2", "alerts"]:
            return listAlerts(request, requestID: requestID)
        case ("POST", 2) where segments == ["v2", "alerts"]:
            return createAlert(request, requestID: requestID)
        case ("GET", 4) where segments[0...2] == ["v2", "alerts", "requests"]:
            return requestStatus(segments[3], requestID: requestID)
        case ("GET", 3) where segments[0...1] == ["v2", "alerts"]:
            return getAlert(segments[2], type: request.queryValue("identifierType") ?? "id", requestID: requestID)
        case ("POST", 4) where segments[0...1] == ["v2", "alerts"] && segments[3] == "close":
            return alertAction(request, identifier: segments[2], action: "Close", requestID: requestID, noteRequired: false)
        case ("POST", 4) where segments[0...1] == ["v2", "alerts"] && segments[3] == "notes":
            return alertAction(request, identifier: segments[2], action: "AddNote", requestID: requestID, noteRequired: true)
        case ("GET", 4) where segments[0...1] == ["v2", "schedules"] && segments[3] == "on-calls":
            return onCalls(request, identifier: segments[2], requestID: requestID)
        case ("GET", 3) where segments[0...1] == ["v2", "schedules"]:
            return getSchedule(request, identifier: segments[2], requestID: requestID)
        case ("GET", 3) where segments[0...1] == ["v2", "teams"]:
            return getTeam(request, identifier: segments[2], requestID: requestID)
        default:
            return error(404, "Could not find the requested endpoint", requestID: requestID)
        }
    }

    // MARK: Endpoints

    private func listAlerts(_ request: HTTPRequestRecord, requestID: String) -> HTTPReply {
        let limitText = request.queryValue("limit") ?? "20"
        let offsetText = request.queryValue("offset") ?? "0"
        guard let limit = Int(limitText), (1...100).contains(limit) else {
            return unprocessable(["limit": "Limit should be between 1 and 100"], requestID: requestID)
        }
        guard let offset = Int(offsetText), offset >= 0 else {
            return unprocessable(["offset": "Offset should be a non-negative integer"], requestID: requestID)
        }
        guard offset + limit <= offsetCap else {
            return unprocessable(["offset": "Offset + limit should not exceed \(offsetCap)"], requestID: requestID)
        }
        let order = request.queryValue("order") ?? "desc"
        guard ["asc", "desc"].contains(order) else { return unprocessable(["order": "Invalid order"], requestID: requestID) }
        let sort = request.queryValue("sort") ?? "createdAt"
        guard sort == "createdAt" else { return unprocessable(["sort": "The fake sorts by createdAt only"], requestID: requestID) }
        let query: FakeAlertQuery
        switch FakeAlertQuery.parse(request.queryValue("query") ?? "") {
        case let .success(parsed): query = parsed
        case let .failure(failure): return unprocessable(["query": failure.reason], requestID: requestID)
        }
        if let problem = queryGrammar.problem(in: query) { return unprocessable(["query": problem], requestID: requestID) }
        let key = "\(order) \(looseTagSearch) \(request.queryValue("query") ?? "")"
        let matching = listings.alerts(key: key, version: alertsVersion) {
            let sorted = alerts.filter { query.matches($0, looseTags: looseTagSearch) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            return order == "desc" ? sorted.reversed() : sorted
        }
        let page = Array(matching.dropFirst(offset).prefix(limit))
        var paging: [String: String] = ["first": pageURL(request, offset: 0, limit: limit)]
        if offset + limit < matching.count { paging["next"] = pageURL(request, offset: offset + limit, limit: limit) }
        if offset > 0 { paging["prev"] = pageURL(request, offset: max(0, offset - limit), limit: limit) }
        paging["last"] = pageURL(request, offset: max(0, (matching.count - 1) / limit * limit), limit: limit)
        return .json(200, ["data": page.map { $0.baseJSON(ids: responderIDFor) }, "paging": paging, "took": 0.02, "requestId": requestID])
    }

    private func pageURL(_ request: HTTPRequestRecord, offset: Int, limit: Int) -> String {
        var components = URLComponents(url: baseURL.appendingPathComponent("v2/alerts"), resolvingAgainstBaseURL: false)!
        var items = request.query.filter { $0.name != "offset" && $0.name != "limit" }.map { URLQueryItem(name: $0.name, value: $0.value) }
        items.append(URLQueryItem(name: "offset", value: String(offset)))
        items.append(URLQueryItem(name: "limit", value: String(limit)))
        components.queryItems = items
        return components.url!.absoluteString
    }

    private func getAlert(_ identifier: String, type: String, requestID: String) -> HTTPReply {
        guard ["id", "alias", "tiny"].contains(type) else {
            return unprocessable(["identifierType": "Invalid identifier type"], requestID: requestID)
        }
        guard let alert = find(identifier, type: type) else { return error(404, "Alert does not exist", requestID: requestID) }
        return .json(200, ["data": alert.fullJSON(ids: responderIDFor), "took": 0.01, "requestId": requestID])
    }

    private func createAlert(_ request: HTTPRequestRecord, requestID: String) -> HTTPReply {
        guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
            return error(400, "Could not read the request body", requestID: requestID)
        }
        if let problems = Self.fieldProblems(body), !problems.isEmpty { return unprocessable(problems, requestID: requestID) }
        let message = body["message"] as? String ?? ""
        let alias = (body["alias"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        let now = clock()
        if let index = openPositionByAlias[alias] {
            alerts[index].count += 1
            alerts[index].updatedAt = now
            return accepted(requestID, action: "Create", status: "Alert with alias [\(alias)] already exists, count increased", alertID: alerts[index].id, alias: alias)
        }
        let responders = (body["responders"] as? [[String: Any]] ?? []).map { entry in
            entry.compactMapValues { $0 as? String }
        }
        var alert = FakeAlert(alias: alias, message: message, description: body["description"] as? String ?? "",
                                      tags: body["tags"] as? [String] ?? [], details: body["details"] as? [String: String] ?? [:],
                                      responders: responders, priority: body["priority"] as? String ?? "P3",
                                      source: body["source"] as? String ?? "127.0.0.1", createdAt: now)
        if let note = body["note"] as? String, !note.isEmpty { alert.notes.append(note) }
        seed(alert)
        return accepted(requestID, action: "Create", status: "Created alert", alertID: alert.id, alias: alias)
    }

    private func alertAction(_ request: HTTPRequestRecord, identifier: String, action: String, requestID: String, noteRequired: Bool) -> HTTPReply {
        let type = request.queryValue("identifierType") ?? "id"
        guard ["id", "alias", "tiny"].contains(type) else { return unprocessable(["identifierType": "Invalid identifier type"], requestID: requestID) }
        var body: [String: Any] = [:]
        if !request.body.isEmpty {
            guard let decoded = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
                return error(400, "Could not read the request body", requestID: requestID)
            }
            body = decoded
        }
        let note = body["note"] as? String
        if noteRequired && (note ?? "").isEmpty { return unprocessable(["note": "Note can not be empty"], requestID: requestID) }
        if let note, note.count > 25_000 { return unprocessable(["note": "Note can not be longer than 25000 characters"], requestID: requestID) }
        guard let alert = find(identifier, type: type), let index = positionByID[alert.id] else {
            return accepted(requestID, action: action, status: "Alert does not exist", alertID: nil, alias: nil, success: false)
        }
        if let note, !note.isEmpty { alerts[index].notes.append(note) }
        if action == "Close" {
            guard alerts[index].status == "open" else {
                return accepted(requestID, action: action, status: "Close action is not applicable to a closed alert", alertID: alert.id, alias: alert.alias, success: false)
            }
            alerts[index].status = "closed"
            if openPositionByAlias[alerts[index].alias] == index { openPositionByAlias[alerts[index].alias] = nil }
        }
        alerts[index].updatedAt = clock()
        return accepted(requestID, action: action, status: action == "Close" ? "Closed alert" : "Added note", alertID: alert.id, alias: alert.alias)
    }

    private func requestStatus(_ id: String, requestID: String) -> HTTPReply {
        guard let status = statuses[id] else { return error(404, "Request not found", requestID: requestID) }
        if let due = processedAt[id], clock() < due {
            return error(404, "Request not processed yet", requestID: requestID, headers: ["X-Opsgenie-Errortype": "RequestNotProcessed"])
        }
        if let left = pollsLeft[id], left > 0 {
            pollsLeft[id] = left - 1
            return error(404, "Request not processed yet", requestID: requestID, headers: ["X-Opsgenie-Errortype": "RequestNotProcessed"])
        }
        return .json(200, ["data": status, "took": 0.01, "requestId": requestID])
    }

    private func onCalls(_ request: HTTPRequestRecord, identifier: String, requestID: String) -> HTTPReply {
        let type = request.queryValue("scheduleIdentifierType") ?? "id"
        guard ["id", "name"].contains(type) else { return unprocessable(["scheduleIdentifierType": "Invalid identifier type"], requestID: requestID) }
        let schedule = type == "name" ? schedules[identifier] : schedules.values.first { $0.id == identifier }
        guard let schedule else { return error(404, "Schedule with identifier [\(identifier)] does not exist", requestID: requestID) }
        if onCallForbidden.contains(schedule.name) { return error(403, "You are not authorized to read the schedule", requestID: requestID, code: 40301) }
        var data: [String: Any] = ["_parent": ["id": schedule.id, "name": schedule.name, "enabled": true]]
        if request.queryValue("flat") == "true" {
            data["onCallRecipients"] = schedule.recipients
        } else {
            data["onCallParticipants"] = schedule.recipients.map { ["id": responderID(type: "user", name: $0), "name": $0, "type": "user"] }
        }
        return .json(200, ["data": data, "took": 0.01, "requestId": requestID])
    }

    private func getSchedule(_ request: HTTPRequestRecord, identifier: String, requestID: String) -> HTTPReply {
        let type = request.queryValue("identifierType") ?? "id"
        guard ["id", "name"].contains(type) else { return unprocessable(["identifierType": "Invalid identifier type"], requestID: requestID) }
        let schedule = type == "name" ? schedules[identifier] : schedules.values.first { $0.id == identifier }
        guard let schedule else { return error(404, "Schedule with identifier [\(identifier)] does not exist", requestID: requestID) }
        return .json(200, ["data": ["id": schedule.id, "name": schedule.name, "enabled": true, "timezone": "Europe/London", "rotations": [] as [Any]],
                           "took": 0.01, "requestId": requestID])
    }

    private func getTeam(_ request: HTTPRequestRecord, identifier: String, requestID: String) -> HTTPReply {
        let type = request.queryValue("identifierType") ?? "id"
        guard ["id", "name"].contains(type) else { return unprocessable(["identifierType": "Invalid identifier type"], requestID: requestID) }
        let team = type == "name" ? teams[identifier].map { (identifier, $0) } : teams.first { $0.value == identifier }.map { ($0.key, $0.value) }
        guard let (name, id) = team else { return error(404, "No team exists with identifier [\(identifier)]", requestID: requestID) }
        return .json(200, ["data": ["id": id, "name": name, "members": [] as [Any]], "took": 0.01, "requestId": requestID])
    }

    // MARK: Helpers

    private func find(_ identifier: String, type: String) -> FakeAlert? {
        switch type {
        case "alias": return openPositionByAlias[identifier].map { alerts[$0] }
        case "tiny": return alerts.last { $0.tinyId == identifier }
        default: return positionByID[identifier].map { alerts[$0] }
        }
    }

    private func accepted(_ requestID: String, action: String, status: String, alertID: String?, alias: String?, success: Bool = true) -> HTTPReply {
        var data: [String: Any] = ["success": success, "isSuccess": success, "action": action, "status": status,
                                   "processedAt": Self.timestamp(clock()), "integrationId": "fake-integration"]
        data["alertId"] = alertID ?? ""
        data["alias"] = alias ?? ""
        statuses[requestID] = data
        if let processingDelay {
            processedAt[requestID] = clock().addingTimeInterval(Double.random(in: processingDelay))
        } else {
            pollsLeft[requestID] = statusDelayPolls
        }
        return .json(202, ["result": "Request will be processed", "took": 0.01, "requestId": requestID])
    }

    private func responderID(type: String, name: String) -> String {
        let key = "\(type)/\(name.lowercased())"
        if let id = responderIDs[key] { return id }
        let id = UUID().uuidString.lowercased()
        responderIDs[key] = id
        return id
    }

    private func responderIDFor(_ type: String, _ responder: [String: String]) -> String {
        responder["id"] ?? responderID(type: type, name: responder["name"] ?? "")
    }

    private func error(_ status: Int, _ message: String, requestID: String, code: Int? = nil, headers: [String: String] = [:]) -> HTTPReply {
        var body: [String: Any] = ["message": message, "took": 0.0, "requestId": requestID]
        if let code { body["code"] = code }
        return .json(status, body, headers: headers)
    }

    private func unprocessable(_ problems: [String: String], requestID: String) -> HTTPReply {
        .json(422, ["message": "Request body is not processable. Please check the errors.", "errors": problems, "took": 0.0, "requestId": requestID])
    }

    private func throttled(_ domain: FakeOpsgenieDomain, period: Int, requestID: String) -> HTTPReply {
        .json(429, ["message": "You are making too many requests! To avoid errors, we recommend you limit requests.", "took": 0.0, "requestId": requestID],
              headers: ["X-RateLimit-State": "THROTTLED", "X-RateLimit-Reason": domain.rawValue, "X-RateLimit-Period-In-Sec": String(period)])
    }

    /// Opsgenie's documented field limits for a new alert; each problem keyed by field.
    static func fieldProblems(_ body: [String: Any]) -> [String: String]? {
        var problems: [String: String] = [:]
        let message = body["message"] as? String ?? ""
        if message.isEmpty { problems["message"] = "Message can not be empty" }
        if message.count > 130 { problems["message"] = "Message can not be longer than 130 characters" }
        if let alias = body["alias"] as? String, alias.count > 512 { problems["alias"] = "Alias can not be longer than 512 characters" }
        if let description = body["description"] as? String, description.count > 15_000 {
            problems["description"] = "Description can not be longer than 15000 characters"
        }
        if let tags = body["tags"] as? [String] {
            if tags.count > 20 { problems["tags"] = "Tags can not be more than 20" }
            if tags.contains(where: { $0.count > 50 }) { problems["tags"] = "Tags can not be longer than 50 characters" }
        }
        if let details = body["details"] as? [String: String], details.reduce(0, { $0 + $1.key.count + $1.value.count }) > 8_000 {
            problems["details"] = "Details can not be longer than 8000 characters in total"
        }
        if let responders = body["responders"] as? [Any], responders.count > 50 { problems["responders"] = "Responders can not be more than 50" }
        if let priority = body["priority"] as? String, !["P1", "P2", "P3", "P4", "P5"].contains(priority) {
            problems["priority"] = "Priority should be one of P1, P2, P3, P4, P5"
        }
        if let source = body["source"] as? String, source.count > 100 { problems["source"] = "Source can not be longer than 100 characters" }
        if let user = body["user"] as? String, user.count > 100 { problems["user"] = "User can not be longer than 100 characters" }
        return problems
    }

    static func domain(method: String, segments: [String]) -> FakeOpsgenieDomain {
        if segments.count > 1 && segments[1] == "schedules" { return .schedule }
        if segments.count > 1 && segments[1] == "teams" { return .configuration }
        return method == "GET" ? .alertRead : .alertWrite
    }

    static func endpoint(_ request: HTTPRequestRecord) -> String {
        let segments = request.segments
        var shape = segments
        switch segments.count {
        case 3: shape[2] = "{identifier}"
        case 4 where segments[2] == "requests": shape[3] = "{requestId}"
        case 4: shape[2] = "{identifier}"
        default: break
        }
        return "\(request.method) /" + shape.joined(separator: "/")
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A small deterministic generator, so injected faults (and fault-injection trials) repeat from
/// run to run.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
