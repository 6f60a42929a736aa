/// The answer to one read-only probe of `check`, classified by the client that sent it: only the
/// client knows which of its service's answers mean "refused" rather than "broken".
public enum ProbeOutcome: Sendable, Hashable {
    /// The service answered the call as asked.
    case accepted
    /// The credentials or the permissions were refused (HTTP 401/403, gRPC PERMISSION_DENIED).
    case refused(String)
    /// The service called the request itself wrong (HTTP 400/422, gRPC INVALID_ARGUMENT).
    case invalid(String)
    /// No answer that tells either way (unreachable, a server error, an unreadable answer).
    case failed(String)
}
