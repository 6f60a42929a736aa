import AccessReconciler
import Foundation
@_exported import HTTPSupport

/// How the Opsgenie client connects and how hard it tries.
public struct OpsgenieConfiguration: Sendable {
    /// Opsgenie's US API.
    public static let usBaseURL = URL(string: "https://api.opsgenie.com")!

    public var baseURL: URL
    public var apiKey: Secret
    /// Deadline of one HTTP request (connection included).
    public var requestTimeout: Duration = .seconds(20)
    public var retry = RetryPolicy()
    /// The pace per Opsgenie domain: where it starts and how high it may rise while Opsgenie does
    /// not throttle. Opsgenie's per-plan limits are not published; the ceilings leave room for the
    /// integrations that share the account's buckets.
    public var rateLimits: [OpsgenieDomain: RatePolicy] = OpsgenieConfiguration.defaultRateLimits
    public static let defaultRateLimits: [OpsgenieDomain: RatePolicy] = [
        .alertWrite: RatePolicy(start: 5, ceiling: 25), .alertRead: RatePolicy(start: 5, ceiling: 25),
        .schedule: RatePolicy(start: 5, ceiling: 10),
    ]
    /// Requests in flight at once.
    public var maxConcurrentRequests = OpsgenieConfiguration.defaultConcurrency
    public static let defaultConcurrency = 16
    /// When an asynchronous write's status is read; a write whose status never shows is
    /// reported as not processed.
    public var statusPolling = StatusPolling()
    /// `source` and `user` recorded on alerts, notes and closes.
    public var actor = "access-reconciler"

    public init(baseURL: URL = OpsgenieConfiguration.usBaseURL, apiKey: Secret) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }
}

/// Opsgenie's rate-limit domains, each limited separately.
public enum OpsgenieDomain: String, RateBucket, CaseIterable {
    /// Creating, closing and annotating alerts.
    case alertWrite
    /// Listing and reading alerts and request statuses.
    case alertRead
    /// Who is on call.
    case schedule
}
