/// One call the fake Opsgenie received, for assertions and the conformance check.
public struct RecordedCall: Sendable, Hashable {
    /// The request; its `authorization` header is removed (kept only as `authorized`).
    public var request: HTTPRequestRecord
    public var authorized: Bool
    /// The status answered, or nil when the connection was dropped.
    public var status: Int?

    public var method: String { request.method }
    public var path: String { request.path }
}
