import AccessReconciler
import Foundation
import HTTPSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// Sends requests to Opsgenie over URLSession with authentication, rate limits, a bound on
/// concurrency, per-request deadlines, and retries: 429 after the bucket's period, 5xx (not 501)
/// and connection failures with back-off. Other statuses fail at once with Opsgenie's message.
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

    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    let configuration: OpsgenieConfiguration
    let session: URLSession
    let scope: CredentialScope
    let limiter: ConcurrencyLimiter
    let buckets: [OpsgenieDomain: RateLimiter]
    let logger: Logger

    init(configuration: OpsgenieConfiguration, logger: Logger) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.httpMaximumConnectionsPerHost = configuration.maxConcurrentRequests
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = CredentialScope.session(configuration: sessionConfiguration)
        scope = CredentialScope(configuration.baseURL)
        limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
        var buckets: [OpsgenieDomain: RateLimiter] = [:]
        for (domain, rate) in configuration.rateLimits { buckets[domain] = RateLimiter(perSecond: rate) }
        self.buckets = buckets
        self.logger = logger
    }

    /// The URL of a request: base URL, encoded segments, query.
    func url(for request: Request) -> URL {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let path = request.path.map { $0.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? $0 }.joined(separator: "/")
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
        let started = ContinuousClock.now
        var attempt = 0
        /// Whether another attempt fits within the retry policy's count and time.
        func mayRetry(after wait: Duration) -> Bool {
            attempt < configuration.retry.maxAttempts && ContinuousClock.now - started + wait <= configuration.retry.maxElapsed
        }
        while true {
            attempt += 1
            if let bucket = buckets[request.domain] { try await bucket.acquire() }
            let outcome: Result<Response, Error>
            do {
                outcome = .success(try await limiter.withSlot { try await perform(request, url: url) })
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case let .success(response):
                if (200..<300).contains(response.status) || request.accepting.contains(response.status) { return response }
                if let redirect = RedirectRefused(status: response.status, from: url, location: response.header("Location")) {
                    throw OpsgenieError(operation: request.operation, kind: .redirected, message: redirect.description)
                }
                let failure = error(for: response, request: request)
                let wait = response.status == 429
                    ? configuration.retry.throttleDelay(periodSeconds: Int(response.header("X-RateLimit-Period-In-Sec") ?? "") ?? 1)
                    : configuration.retry.delay(after: attempt)
                guard failure.isRetryableWithoutDoubt, mayRetry(after: wait) else { throw failure }
                logger.notice("Opsgenie answered \(response.status); retrying", metadata: [
                    "operation": "\(request.operation)", "attempt": "\(attempt)", "wait": "\(wait)",
                    "reason": "\(response.header("X-RateLimit-Reason") ?? "")",
                ])
                try await Task.sleep(for: wait)
            case let .failure(error):
                if error is CancellationError { throw error }
                let reason = Self.describe(error)
                let wait = configuration.retry.delay(after: attempt)
                guard request.retryTransportFailures, mayRetry(after: wait) else {
                    throw OpsgenieError(operation: request.operation, kind: .transport("\(reason) (\(url.host ?? "?"), \(attempt) attempt(s))"))
                }
                logger.notice("Opsgenie request failed; retrying", metadata: [
                    "operation": "\(request.operation)", "attempt": "\(attempt)", "error": "\(reason)",
                ])
                try await Task.sleep(for: wait)
            }
        }
    }

    private func perform(_ request: Request, url: URL) async throws -> Response {
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = Double(configuration.requestTimeout.components.seconds)
            + Double(configuration.requestTimeout.components.attoseconds) / 1e18
        urlRequest.setValue("GenieKey \(configuration.apiKey.value)", forHTTPHeaderField: "Authorization")
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body = request.body {
            urlRequest.httpBody = body
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return Response(status: http.statusCode, headers: headers, body: data)
    }

    func error(for response: Response, request: Request) -> OpsgenieError {
        let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: response.body)
        var message = envelope?.message
        if let fields = envelope?.errors, !fields.isEmpty {
            message = (message.map { $0 + " " } ?? "") + fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        }
        return OpsgenieError(operation: request.operation, kind: .status(response.status), message: message, requestID: envelope?.requestId)
    }

    static func describe(_ error: Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return "the request timed out"
            case .cannotConnectToHost, .cannotFindHost: return "cannot connect to Opsgenie"
            case .networkConnectionLost: return "the connection was lost"
            default: return "network error \(urlError.code.rawValue)"
            }
        }
        return "\(error)"
    }

    /// Characters left as they are in one path segment (everything else, `/` included, is encoded).
    static let segmentCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
