import HTTPSupport

/// A failed Opsgenie call: what was attempted, what Opsgenie answered, and its request id for
/// Opsgenie's support. Never contains the API key.
public typealias OpsgenieError = APIError

extension APIError {
    /// An Opsgenie failure.
    public init(operation: String, kind: Kind, message: String? = nil, requestID: String? = nil) {
        self.init(service: "Opsgenie", operation: operation, kind: kind, message: message, requestID: requestID)
    }
}
