import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// Sends requests to one HTTP API over URLSession: the credential on every request (and on no
/// other host), an adaptive pace per rate-limit bucket (`AdaptiveRateLimiter`), a bound on requests in flight, per-request deadlines, and
/// retries (429 after the service's wait, 5xx but 501 and connection failures with back-off).
/// Other statuses fail at once with the service's message. Redirects are never followed.
public struct APITransport<Bucket: RateBucket>: Sendable {
    public typealias Response = APIResponse
    public typealias Dialect = APIDialect

    public struct Request: Sendable {
        public var method: String
        public var url: URL
        public var body: Data?
        /// The rate-limit bucket the call counts against.
        public var bucket: Bucket
        /// What the call does, for errors and logs.
        public var operation: String
        /// Statuses returned to the caller rather than thrown (2xx always are).
        public var accepting: Set<Int>
        /// Whether a connection failure may be retried blindly. False for creates, whose retry
        /// after a lost answer the caller decides.
        public var retryTransportFailures: Bool

        public init(method: String, url: URL, body: Data? = nil, bucket: Bucket, operation: String, accepting: Set<Int> = [],
                    retryTransportFailures: Bool = true) {
            self.method = method
            self.url = url
            self.body = body
            self.bucket = bucket
            self.operation = operation
            self.accepting = accepting
            self.retryTransportFailures = retryTransportFailures
        }
    }

    public let dialect: Dialect
    let session: URLSession
    let scopes: [CredentialScope]
    let limiter: ConcurrencyLimiter
    let buckets: [Bucket: AdaptiveRateLimiter]
    let retry: RetryPolicy
    let requestTimeout: Duration
    let logger: Logger
    /// Calls, retries and 429s by endpoint, for the run's metrics.
    public let statistics: CallStatistics

    /// `hosts`: the base URLs the credential may go to.
    public init(dialect: Dialect, hosts: [URL], rateLimits: [Bucket: RatePolicy], maxConcurrentRequests: Int, retry: RetryPolicy,
                requestTimeout: Duration, logger: Logger) {
        self.dialect = dialect
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConcurrentRequests
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        // No response cache at all: an API answer is never read from one, so none is kept.
        configuration.urlCache = nil
        session = CredentialScope.session(configuration: configuration)
        scopes = hosts.map(CredentialScope.init)
        limiter = ConcurrencyLimiter(limit: maxConcurrentRequests)
        buckets = rateLimits.mapValues { AdaptiveRateLimiter(policy: $0) }
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.logger = logger
        statistics = CallStatistics(literalSegments: dialect.routeSegments)
    }

    public func send(_ request: Request) async throws -> Response {
        let url = request.url
        guard scopes.contains(where: { $0.allows(url) }) else {
            throw APIError(service: dialect.service, operation: request.operation,
                           kind: .malformed("a link points to \(url.host ?? "another host"); not following it with the credential"))
        }
        let started = ContinuousClock.now
        let endpoint = statistics.endpoint(method: request.method, url: url)
        var attempt = 0
        // A throttle's wait is the service's own word on when to come back (a minute, for a 60-second
        // bucket): bounded by the attempts, not by the time budget meant for a silent peer.
        func mayRetry(after wait: Duration, throttled: Bool = false) -> Bool {
            attempt < retry.maxAttempts && (throttled || ContinuousClock.now - started + wait <= retry.maxElapsed)
        }
        while true {
            attempt += 1
            let bucket = buckets[request.bucket]
            let ticket = try await bucket?.acquire()
            let outcome: Result<Response, Error>
            do {
                outcome = .success(try await limiter.withSlot { try await perform(request) })
            } catch {
                outcome = .failure(error)
            }
            statistics.record(endpoint: endpoint, attempt: attempt, throttled: (try? outcome.get().status) == 429)
            switch outcome {
            case let .success(response):
                if let bucket, let ticket {
                    if response.status == 429 {
                        await throttled(bucket, ticket, name: request.bucket, period: retry.throttleUnit * max(1, dialect.throttlePeriod(response)))
                    } else {
                        await bucket.succeeded(ticket)
                    }
                }
                if (200..<300).contains(response.status) || request.accepting.contains(response.status) { return response }
                if let redirect = RedirectRefused(status: response.status, from: url, location: response.header("Location")) {
                    throw APIError(service: dialect.service, operation: request.operation, kind: .redirected, message: redirect.description)
                }
                let failure = error(for: response, operation: request.operation)
                // A paced bucket holds a throttled call's retry until it has room again; without
                // one, the call waits out the period itself.
                let bucketHolds = response.status == 429 && ticket != nil
                let wait = bucketHolds ? .zero
                    : response.status == 429 ? retry.throttleDelay(periodSeconds: dialect.throttlePeriod(response))
                    : retry.delay(after: attempt)
                guard failure.isRetryableWithoutDoubt, mayRetry(after: wait, throttled: response.status == 429) else { throw failure }
                logger.notice("\(dialect.service) answered \(response.status); retrying",
                              metadata: ["operation": "\(request.operation)", "attempt": "\(attempt)",
                                         "wait": bucketHolds ? "until the bucket has room" : "\(wait)"])
                try await Task.sleep(for: wait)
            case let .failure(error):
                // Cancelled (the run's deadline): URLSession says so with URLError(.cancelled).
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                let reason = APIError.describeTransport(error, service: dialect.service)
                let wait = retry.delay(after: attempt)
                guard request.retryTransportFailures, mayRetry(after: wait) else {
                    throw APIError(service: dialect.service, operation: request.operation,
                                   kind: .transport("\(reason) (\(url.host ?? "?"), \(attempt) attempt(s))"))
                }
                logger.notice("\(dialect.service) request failed; retrying",
                              metadata: ["operation": "\(request.operation)", "attempt": "\(attempt)", "error": "\(reason)"])
                try await Task.sleep(for: wait)
            }
        }
    }

    /// Tells the bucket of a throttle, and says so when it slows the pace down.
    private func throttled(_ bucket: AdaptiveRateLimiter, _ ticket: AdaptiveRateLimiter.Ticket, name: Bucket, period: Duration) async {
        guard let cut = await bucket.throttled(ticket, period: period, waitingAtLeast: dialect.throttlePeriodIsWait ? period : .zero),
              cut.now < cut.was else { return }
        let pause = await bucket.pauseRemaining
        logger.notice("\(dialect.service) throttled; slowing down", metadata: [
            "bucket": "\(name)", "pace": "\(Self.rounded(cut.now))/s", "was": "\(Self.rounded(cut.was))/s",
            "pause": "\(pause)", "period": "\(period)",
        ])
    }

    /// What the pacing of each bucket that was used has learnt so far: pace, ceiling, throttles.
    public func pacing() async -> [Bucket: AdaptiveRateLimiter.State] {
        var states: [Bucket: AdaptiveRateLimiter.State] = [:]
        for (name, bucket) in buckets {
            let state = await bucket.state
            if state.requests > 0 { states[name] = state }
        }
        return states
    }

    private static func rounded(_ rate: Double) -> String { "\((rate * 10).rounded() / 10)" }

    /// The error an answer's status and body make.
    public func error(for response: Response, operation: String) -> APIError {
        let details = dialect.errorDetails(response)
        return APIError(service: dialect.service, operation: operation, kind: .status(response.status), message: details.message,
                        requestID: details.requestID)
    }

    private func perform(_ request: Request) async throws -> Response {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = Double(requestTimeout.components.seconds) + Double(requestTimeout.components.attoseconds) / 1e18
        urlRequest.setValue(dialect.authorization(), forHTTPHeaderField: "Authorization")
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body = request.body {
            urlRequest.httpBody = body
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await withTaskExecutorPreference(URLSessionExecutor.shared) { [session] in
            try await session.cancellableData(for: urlRequest)
        }
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return Response(status: http.statusCode, headers: headers, body: data)
    }
}
