/// The calls a run sent to one endpoint of one API, for the metrics: every attempt counts, retries
/// and answers 429 among them.
public struct EndpointCalls: Codable, Sendable, Hashable {
    public var backend: AlertBackendID
    /// The method and the route, values as `{}`: `POST /v2/alerts/{}/close`.
    public var endpoint: String
    public var calls: Int
    public var retries: Int
    public var throttled: Int

    public init(backend: AlertBackendID, endpoint: String, calls: Int, retries: Int, throttled: Int) {
        self.backend = backend
        self.endpoint = endpoint
        self.calls = calls
        self.retries = retries
        self.throttled = throttled
    }
}
