import AccessReconciler
import Foundation
import HTTPSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// Opsgenie's requests (path segments, query, rate-limit domain) over the shared `APITransport`:
/// `GenieKey` authentication, Opsgenie's error envelope, and 429s that wait for the bucket's
/// period (`X-RateLimit-Period-In-Sec`).
struct OpsgenieTransport: Sendable {
    struct Request: Sendable {
        var method: String
        /// Path segments after the base URL, unencoded (each is percent-encoded here, `/` included).
        var path: [String]
        var query: [URLQueryItem] = []
        var body: Data?
        var domain: OpsgenieDomain
        /// What the call does, for errors and logs.
        var operation: String
        /// Statuses returned to the caller rather than thrown (2xx always are).
        var accepting: Set<Int> = []
        /// Whether a connection failure may be retried blindly. False for creates, whose retry
        /// after a lost answer the caller decides.
        var retryTransportFailures = true
    }

    typealias Response = APIResponse

    let configuration: OpsgenieConfiguration
    let scope: CredentialScope
    let api: APITransport<OpsgenieDomain>

    init(configuration: OpsgenieConfiguration, logger: Logger) {
        self.configuration = configuration
        scope = CredentialScope(configuration.baseURL)
        let key = configuration.apiKey
        let dialect = APIDialect(
            service: "Opsgenie",
            authorization: { "GenieKey \(key.value)" },
            errorDetails: { response in
                let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: response.body)
                var message = envelope?.message
                if let fields = envelope?.errors, !fields.isEmpty {
                    message = (message.map { $0 + " " } ?? "") + fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
                }
                return (message, envelope?.requestId)
            },
            throttlePeriod: { Int($0.header("X-RateLimit-Period-In-Sec") ?? "") ?? 1 },
            routeSegments: ["v2", "alerts", "requests", "notes", "close", "acknowledge", "schedules", "on-calls"])
        api = APITransport(dialect: dialect, hosts: [configuration.baseURL],
                           rateLimits: configuration.rateLimits,
                           maxConcurrentRequests: configuration.maxConcurrentRequests, retry: configuration.retry,
                           requestTimeout: configuration.requestTimeout, logger: logger)
    }

    /// The URL of a request: base URL, encoded segments, query.
    func url(for request: Request) -> URL {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let path = request.path.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathSegmentUnreserved) ?? $0 }.joined(separator: "/")
        var components = URLComponents(string: base + "/" + path)!
        if !request.query.isEmpty {
            components.queryItems = request.query
            // `+` is read as a space by many servers: encode it, as Opsgenie's documentation asks.
            components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        }
        return components.url!
    }

    func send(_ request: Request) async throws -> Response {
        try await send(request, to: url(for: request))
    }

    /// Sends to an absolute URL (a `paging.next` link), which must be on the configured host.
    func send(_ request: Request, to url: URL) async throws -> Response {
        guard scope.allows(url) else {
            throw OpsgenieError(operation: request.operation, kind: .malformed("a link points to \(url.host ?? "another host"); not following it with the API key"))
        }
        return try await api.send(.init(method: request.method, url: url, body: request.body, bucket: request.domain,
                                        operation: request.operation, accepting: request.accepting,
                                        retryTransportFailures: request.retryTransportFailures))
    }

    func error(for response: Response, request: Request) -> OpsgenieError {
        api.error(for: response, operation: request.operation)
    }
}
