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

extension ProbeOutcome {
    /// A failed HTTP call as a probe's answer: 401 and 403 refuse the credentials or their rights,
    /// 400 and 422 call the request wrong; any other status, or none (the call got no answer),
    /// tells neither.
    public init(httpStatus: Int?, _ description: String) {
        switch httpStatus {
        case 401, 403: self = .refused(description)
        case 400, 422: self = .invalid(description)
        default: self = .failed(description)
        }
    }
}
