import AccessReconciler
import Foundation
@_exported import HTTPSupport

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
