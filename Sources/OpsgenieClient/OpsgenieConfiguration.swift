import AccessReconciler
import Foundation

/// How the Opsgenie client connects and how hard it tries.
public struct OpsgenieConfiguration: Sendable {
    /// Opsgenie's US API.
    public static let usBaseURL = URL(string: "https://api.opsgenie.com")!
    /// Opsgenie's EU API.
    public static let euBaseURL = URL(string: "https://api.eu.opsgenie.com")!

    public var baseURL: URL
    public var apiKey: Secret
    /// Deadline of one HTTP request (connection included).
    public var requestTimeout: Duration = .seconds(20)
    public var retry = RetryPolicy()
    /// Requests per second the client allows itself per Opsgenie domain.
    public var rateLimits: [OpsgenieDomain: Double] = [.alertWrite: 5, .alertRead: 5, .schedule: 5, .heartbeat: 1]
    /// Requests in flight at once.
    public var maxConcurrentRequests = 4
    /// Between polls of an asynchronous request's status.
    public var statusPollInterval: Duration = .milliseconds(500)
    /// Polls before a write whose status never shows is reported as failed.
    public var statusPollAttempts = 40
    /// `source` and `user` recorded on alerts, notes and closes.
    public var actor = "access-reconciler"

    public init(baseURL: URL = OpsgenieConfiguration.usBaseURL, apiKey: Secret) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }
}

/// Opsgenie's rate-limit domains, each limited separately.
public enum OpsgenieDomain: String, Sendable, Hashable, CaseIterable {
    /// Creating, closing and annotating alerts.
    case alertWrite
    /// Listing and reading alerts and request statuses.
    case alertRead
    /// Who is on call.
    case schedule
    /// Heartbeat pings.
    case heartbeat
}

/// Capped exponential back-off with jitter, and the wait after a 429.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts = 5
    public var baseDelay: Duration = .milliseconds(500)
    public var maxDelay: Duration = .seconds(20)
    /// What one second of `X-RateLimit-Period-In-Sec` means; shortened in tests.
    public var throttleUnit: Duration = .seconds(1)
    /// No retry starts once this much time has passed since the first attempt (waits included), so
    /// a silent peer costs at most about this long per call.
    public var maxElapsed: Duration = .seconds(60)

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(20),
                throttleUnit: Duration = .seconds(1), maxElapsed: Duration = .seconds(60)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.throttleUnit = throttleUnit
        self.maxElapsed = maxElapsed
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1): base × 2^(attempt−1), capped,
    /// then a random share between half and all of it, so that many clients do not retry in step.
    public func delay(after attempt: Int) -> Duration {
        let exponential = baseDelay * (1 << min(attempt - 1, 20))
        let capped = min(exponential, maxDelay)
        return capped * Double.random(in: 0.5...1.0)
    }

    /// The wait after a 429 whose bucket resets every `periodSeconds`.
    public func throttleDelay(periodSeconds: Int) -> Duration {
        throttleUnit * max(1, periodSeconds) * Double.random(in: 1.0...1.2)
    }
}
