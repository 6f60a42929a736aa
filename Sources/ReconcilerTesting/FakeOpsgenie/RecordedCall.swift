import Foundation

/// One call the fake Opsgenie received, for assertions and the conformance check.
public struct RecordedCall: Sendable, Hashable {
    /// The request; its `authorization` header is removed (kept only as `authorized`).
    public var request: HTTPRequestRecord
    public var authorized: Bool
    /// The status answered, or nil when the connection was dropped.
    public var status: Int?
    /// The body answered, or nil when the connection was dropped; checked against the description
    /// like the request.
    public var responseBody: Data?
    /// When the fake received it, by the fake's clock.
    public var receivedAt: Date

    public init(request: HTTPRequestRecord, authorized: Bool = true, status: Int? = nil, responseBody: Data? = nil, receivedAt: Date = Date()) {
        self.request = request
        self.receivedAt = receivedAt
        self.authorized = authorized
        self.status = status
        self.responseBody = responseBody
    }

    public var method: String { request.method }
    public var path: String { request.path }
}
