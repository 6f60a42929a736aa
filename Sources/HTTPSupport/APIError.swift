import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A failed call to an HTTP API: what was attempted, what the service answered. Never contains a
/// credential.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// An HTTP status that is not retried, or retries ran out.
        case status(Int)
        /// The asynchronous request was processed and failed.
        case rejected(status: String)
        /// The request's status never showed within the polling budget.
        case notProcessed
        /// The connection failed or timed out and retries ran out.
        case transport(String)
        /// The answer could not be read.
        case malformed(String)
        /// A listing could not be completed; no partial list is returned.
        case incomplete(String)
        /// The service (or something in front of it) answered with a redirect, which is not followed.
        case redirected
    }

    /// The service's name as people know it (`JSM Operations`).
    public var service: String
    /// What was attempted, e.g. `create alert teleport-access-request/0193…`.
    public var operation: String
    public var kind: Kind
    /// The service's own words about the failure.
    public var message: String?
    /// The service's id of the request, for its support.
    public var requestID: String?

    public init(service: String, operation: String, kind: Kind, message: String? = nil, requestID: String? = nil) {
        self.service = service
        self.operation = operation
        self.kind = kind
        self.message = message
        self.requestID = requestID
    }

    /// The status the service answered with, when the failure is one.
    public var httpStatus: Int? {
        if case let .status(status) = kind { return status }
        return nil
    }

    public var description: String {
        var text = "\(service): \(operation) failed: "
        switch kind {
        case let .status(status): text += "HTTP \(status)"
        case let .rejected(status): text += "the request was processed and rejected"
            if message == nil { text += ": \(status)" }
        case .notProcessed: text += "\(service) did not report the request as processed in time"
        case let .transport(reason): text += reason
        case let .malformed(reason): text += "unreadable answer (\(reason))"
        case let .incomplete(reason): text += "the listing is incomplete (\(reason))"
        case .redirected: text += "redirect refused"
        }
        if let message, !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " (requestId \(requestID))" }
        return text
    }

    /// Whether the failure says nothing was changed, so retrying cannot duplicate anything.
    public var isRetryableWithoutDoubt: Bool {
        if case let .status(status) = kind { return status == 429 || (status >= 500 && status != 501) }
        return false
    }
}

extension APIError {
    /// A connection failure in words (`the request timed out`, `cannot connect to Opsgenie`).
    public static func describeTransport(_ error: Error, service: String) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return "the request timed out"
            case .cannotConnectToHost, .cannotFindHost: return "cannot connect to \(service)"
            case .networkConnectionLost: return "the connection was lost"
            default: return "network error \(urlError.code.rawValue)"
            }
        }
        return "\(error)"
    }
}
