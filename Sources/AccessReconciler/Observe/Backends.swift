/// The two sides a run talks to.
public struct Backends: Sendable {
    public var requests: any AccessRequestPort
    public var alerts: any AlertBackend

    public init(requests: any AccessRequestPort, alerts: any AlertBackend) {
        self.requests = requests
        self.alerts = alerts
    }
}
