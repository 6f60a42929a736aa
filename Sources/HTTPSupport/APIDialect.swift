import Foundation

/// What differs between services: the name, the credential, how errors and waits are read.
public struct APIDialect: Sendable {
    public var service: String
    /// The `Authorization` header's value; called for each request, never logged.
    public var authorization: @Sendable () -> String
    /// The service's message in an error body, and its id of the request, if it has them.
    public var errorDetails: @Sendable (APIResponse) -> (message: String?, requestID: String?)
    /// The wait a 429 asks for, in seconds of `RetryPolicy.throttleUnit`.
    public var throttlePeriod: @Sendable (APIResponse) -> Int
    /// Whether that period is a wait the service asks for (`Retry-After`), which the bucket
    /// waits out in full, rather than the length of the bucket's window (Opsgenie's
    /// `X-RateLimit-Period-In-Sec`), which the bucket may leave sooner once it has room.
    public var throttlePeriodIsWait: Bool
    /// The path segments that name routes (`alerts`, `notes`), for the endpoint of each call in
    /// the statistics; every other segment is a value.
    public var routeSegments: Set<String>

    public init(service: String, authorization: @escaping @Sendable () -> String,
                errorDetails: @escaping @Sendable (APIResponse) -> (message: String?, requestID: String?),
                throttlePeriod: @escaping @Sendable (APIResponse) -> Int, throttlePeriodIsWait: Bool = false,
                routeSegments: Set<String> = []) {
        self.service = service
        self.authorization = authorization
        self.errorDetails = errorDetails
        self.throttlePeriod = throttlePeriod
        self.throttlePeriodIsWait = throttlePeriodIsWait
        self.routeSegments = routeSegments
    }
}
