import AccessReconciler
import Foundation
import HTTPSupport

/// How the JSM Operations client connects and how hard it tries.
public struct JSMConfiguration: Sendable {
    /// Atlassian's API gateway, which serves the operations API for every site.
    public static let atlassianAPI = URL(string: "https://api.atlassian.com")!

    /// The gateway; the operations API is under `/jsm/ops/api/{cloudId}/v1`.
    public var apiURL: URL
    public var cloudID: String
    /// The Jira site (`https://example.atlassian.net`), for the user API; nil when the users file
    /// names everyone.
    public var siteURL: URL?
    /// The Atlassian account's e-mail address and its API token (Basic authentication).
    public var user: String
    public var apiToken: Secret
    /// Account id → e-mail address, for sites that hide addresses from the user API.
    public var knownEmails: [String: String] = [:]
    /// Deadline of one HTTP request (connection included).
    public var requestTimeout: Duration = .seconds(20)
    public var retry = RetryPolicy()
    /// The pace per bucket: where it starts and how high it may rise while the service does not
    /// throttle. Atlassian publishes no numbers; the ceilings leave room for the integrations that
    /// share the site's limits.
    public var rateLimits: [JSMBucket: RatePolicy] = JSMConfiguration.defaultRateLimits
    public static let defaultRateLimits: [JSMBucket: RatePolicy] = [
        .alertWrite: RatePolicy(start: 5, ceiling: 25), .alertRead: RatePolicy(start: 5, ceiling: 25),
        .schedule: RatePolicy(start: 5, ceiling: 10), .user: RatePolicy(start: 2, ceiling: 5),
    ]
    /// Requests in flight at once.
    public var maxConcurrentRequests = JSMConfiguration.defaultConcurrency
    public static let defaultConcurrency = 16
    /// When an asynchronous write's status is read; a write whose status never shows is
    /// reported as not processed.
    public var statusPolling = StatusPolling()
    /// `source` recorded on alerts.
    public var actor = "access-reconciler"

    public init(apiURL: URL = JSMConfiguration.atlassianAPI, cloudID: String, siteURL: URL?, user: String, apiToken: Secret) {
        self.apiURL = apiURL
        self.cloudID = cloudID
        self.siteURL = siteURL
        self.user = user
        self.apiToken = apiToken
    }
}

/// The client's rate-limit buckets. Atlassian publishes no per-plan numbers for this API.
public enum JSMBucket: String, RateBucket, CaseIterable {
    case alertWrite, alertRead, schedule, user
}
