/// What the end-to-end tests read of a fake alert service, whichever backend it stands in for.
public protocol FakeAlertService: Actor {
    /// Every alert, in the order created.
    var alerts: [FakeOpsgenieAlert] { get }
    /// Every call received.
    var calls: [RecordedCall] { get }
    func alert(alias: String, status: String?) -> FakeOpsgenieAlert?
    /// Queues faults for the next requests, in order.
    func script(_ faults: [FakeOpsgenieScriptedFault])
    /// Calls per endpoint, ids replaced by `{id}`.
    func callCounts() -> [String: Int]
}

extension FakeOpsgenie: FakeAlertService {
    public func script(_ faults: [FakeOpsgenieScriptedFault]) { for fault in faults { script(fault) } }
}

extension FakeJSM: FakeAlertService {
    public func script(_ faults: [FakeOpsgenieScriptedFault]) { for fault in faults { script(fault) } }
}

extension SandboxBackend {
    /// The plugin-data entry the backend's client keeps.
    public var pluginName: String {
        switch self {
        case .opsgenie: return "opsgenie"
        case .jsm: return "access-reconciler-jsm"
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
