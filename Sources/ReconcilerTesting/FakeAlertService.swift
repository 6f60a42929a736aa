/// What the end-to-end tests read of a fake alert service, whichever backend it stands in for.
public protocol FakeAlertService: Actor {
    /// Every alert, in the order created.
    var alerts: [FakeAlert] { get }
    /// Every call received.
    var calls: [RecordedCall] { get }
    func alert(alias: String, status: String?) -> FakeAlert?
    /// Queues faults for the next requests, in order.
    func script(_ faults: [FakeScriptedFault])
    /// Calls per endpoint, ids replaced by `{id}`.
    func callCounts() -> [String: Int]
    func clearCalls()
    /// The rate-limit bucket a call counts against, as `limit(bucket:_:)` names it.
    nonisolated func bucket(of call: RecordedCall) -> String
    /// Limits the requests to one bucket (nil: no limit).
    func limit(bucket: String, _ limit: FakeRateLimit?)
}

extension FakeOpsgenie: FakeAlertService {
    public func script(_ faults: [FakeScriptedFault]) { for fault in faults { script(fault) } }

    /// `ALERT_WRITE`, `ALERT_READ`, `SCHEDULE` or `HEARTBEAT`.
    public nonisolated func bucket(of call: RecordedCall) -> String {
        Self.domain(method: call.method, segments: call.request.segments).rawValue
    }

    public func limit(bucket: String, _ limit: FakeRateLimit?) {
        guard let domain = FakeOpsgenieDomain(rawValue: bucket) else { preconditionFailure("no Opsgenie domain \(bucket)") }
        setRateLimit(domain, limit)
    }
}

extension FakeJSM: FakeAlertService {
    public func script(_ faults: [FakeScriptedFault]) { for fault in faults { script(fault) } }

    /// `alerts` (reads and writes alike), `schedules` or `users`.
    public nonisolated func bucket(of call: RecordedCall) -> String { Self.bucket(call.request.segments) }

    public func limit(bucket: String, _ limit: FakeRateLimit?) { setRateLimit(bucket, limit) }
}

extension SandboxBackend {
    /// The plugin-data entry the backend's client keeps.
    public var pluginName: String {
        switch self {
        case .opsgenie: return "opsgenie"
        case .jsm: return "access-reconciler-jsm"
        }
    }

    /// The bucket alert writes count against in the backend's fake.
    public var writeBucket: String {
        switch self {
        case .opsgenie: return FakeOpsgenieDomain.alertWrite.rawValue
        case .jsm: return "alerts"
        }
    }

    /// The endpoint that creates alerts, as `callCounts()` names it.
    public var createEndpoint: String {
        switch self {
        case .opsgenie: return "POST /v2/alerts"
        case .jsm: return "POST /v1/alerts"
        }
    }

    /// The project's description of the backend's API.
    public var contract: String {
        switch self {
        case .opsgenie: return TestRepository.opsgenieContract
        case .jsm: return TestRepository.jsmContract
        }
    }
}
