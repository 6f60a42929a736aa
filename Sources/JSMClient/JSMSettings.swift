import AccessReconciler
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPSupport

/// The JSM Operations backend's settings, declared here so that the core knows nothing of them.
public struct JSMSettings: Sendable {
    public var siteURL: URL?
    public var apiURL: URL = JSMConfiguration.atlassianAPI
    public var cloudID: String?
    public var user: String?
    public var apiTokenFile: String?
    /// The token itself, from `JSM_API_TOKEN`.
    public var apiToken: Secret?
    public var usersFile: String?
    /// Start rates and ceilings per bucket, as configured.
    public var rateLimits: [JSMBucket: Double] = [:]
    public var rateCeilings: [JSMBucket: Double] = [:]
    public var concurrency: Int?

    public init() {}

    public typealias Entry = Setting<JSMSettings>

    public static let settings: [Entry] = [
        Entry(.init(key: "jsm.site_url", flag: "--jsm-site-url", environment: "JSM_SITE_URL", valueName: "URL",
                    help: "The Jira site (`https://example.atlassian.net`): its cloud id, and the user API for e-mail addresses.")) {
            $0.siteURL = try $1.url()
        },
        Entry(.init(key: "jsm.api_url", flag: "--jsm-api-url", environment: "JSM_API_URL", valueName: "URL", default: SettingDeclaration.shown(JSMConfiguration.atlassianAPI.absoluteString),
                    help: "The gateway that serves the operations API.")) {
            $0.apiURL = try $1.url()
        },
        Entry(.init(key: "jsm.cloud_id", flag: "--jsm-cloud-id", environment: "JSM_CLOUD_ID", valueName: "ID",
                    default: "learnt from the site's `/_edge/tenant_info`", help: "The site's cloud id.")) {
            $0.cloudID = try $1.nonEmpty("a cloud id")
        },
        Entry(.init(key: "jsm.user", flag: "--jsm-user", environment: "JSM_USER", valueName: "EMAIL",
                    help: "The Atlassian account the API token belongs to.")) {
            $0.user = try $1.nonEmpty("an e-mail address")
        },
        Entry(.init(key: "jsm.api_token_file", flag: "--jsm-api-token-file", environment: "JSM_API_TOKEN_FILE", shape: .path, valueName: "FILE",
                    help: "File holding the account's API token, alone.")) {
            $0.apiTokenFile = try $1.nonEmpty("a file path")
        },
        Entry(.init(key: "jsm.api_token", environment: "JSM_API_TOKEN", inFile: false, secret: true,
                    help: "The API token itself, in place of a token file.")) {
            $0.apiToken = Secret($1.text)
        },
        Entry(.init(key: "jsm.users_file", flag: "--jsm-users-file", environment: "JSM_USERS_FILE", shape: .path, valueName: "FILE",
                    default: "none: ask Jira's user API", help: "YAML map of Atlassian account id to e-mail address, for sites that hide addresses.")) {
            $0.usersFile = try $1.nonEmpty("a file path")
        },
    ] + rateSettings + [
        Entry(.init(key: "jsm.concurrency", flag: "--jsm-concurrency", environment: "JSM_CONCURRENCY", valueName: "N", default: SettingDeclaration.shown(JSMConfiguration.defaultConcurrency),
                    help: "JSM requests in flight at once.")) {
            $0.concurrency = try $1.count(minimum: 1)
        },
    ]

    /// The start rate and ceiling of each JSM bucket, with the client's defaults.
    static let rateSettings: [Entry] = [
        (JSMBucket.alertWrite, "alert_write", "write", RateBucketSettings.alertWriteHelp.start, RateBucketSettings.alertWriteHelp.ceiling),
        (.alertRead, "alert_read", "read", RateBucketSettings.alertReadHelp.start, RateBucketSettings.alertReadHelp.ceiling),
        (.schedule, "schedule", "schedule", "Schedule, team and on-call reads per second to start at.",
         "The most schedule reads per second the pace may rise to."),
        (.user, "user", "user", "Jira user-API reads per second to start at (its user search is rate limited for the whole site).",
         "The most user-API reads per second the pace may rise to."),
    ].flatMap { bucket, key, name, startHelp, ceilingHelp in
        let pace = JSMConfiguration.defaultRateLimits[bucket] ?? RatePolicy(start: 1, ceiling: 1)
        return RateBucketSettings(backend: "jsm", bucket: key, name: name, start: pace.start, ceiling: pace.ceiling,
                                  startHelp: startHelp, ceilingHelp: ceilingHelp)
            .settings(of: JSMSettings.self, start: { $0.rateLimits[bucket] = $1 }, ceiling: { $0.rateCeilings[bucket] = $1 })
    }

    /// How a user gives the JSM setting `key`, for messages.
    static func howToSet(_ key: String) -> String { settings.howToSet(key) }

    public static let refusedFileKeys = [
        RefusedFileKey(key: "jsm.api_token",
                       message: "an API token does not belong in the configuration file; put it in the file named by api_token_file or in \(settings.variable("jsm.api_token"))"),
    ]

    /// The client's configuration: reads the token and the users file, and asks the site for its
    /// cloud id when none is given.
    public func configuration() async throws -> JSMConfiguration {
        guard let user else { throw ConfigurationError.missing("the JSM account: set \(Self.howToSet("jsm.user"))") }
        let token = try resolveAPIToken()
        let cloud: String
        if let cloudID {
            cloud = cloudID
        } else if let siteURL {
            cloud = try await Self.cloudID(site: siteURL)
        } else {
            throw ConfigurationError.missing("the JSM site: set \(Self.settings.flag("jsm.site_url")) (or \(Self.settings.flag("jsm.cloud_id")))")
        }
        var configuration = JSMConfiguration(apiURL: apiURL, cloudID: cloud, siteURL: siteURL, user: user, apiToken: token)
        if let usersFile { configuration.knownEmails = try JSMUsersFile.read(path: usersFile) }
        for (bucket, fallback) in configuration.rateLimits {
            configuration.rateLimits[bucket] = .configured(start: rateLimits[bucket], ceiling: rateCeilings[bucket], default: fallback)
        }
        if let concurrency { configuration.maxConcurrentRequests = concurrency }
        return configuration
    }

    /// The API token, from the environment or the token file; never logged.
    public func resolveAPIToken() throws -> Secret {
        if let apiToken { return apiToken }
        guard let apiTokenFile else { throw ConfigurationError.missing("the JSM API token: set \(Self.settings.variable("jsm.api_token")) or \(Self.settings.flag("jsm.api_token_file"))") }
        return try Secret.read(file: apiTokenFile, what: "JSM API token")
    }

    /// The cloud id the site publishes at `/_edge/tenant_info` (no authentication).
    public static func cloudID(site: URL) async throws -> String {
        let url = JSMAlertBackend.url(site, ["_edge", "tenant_info"])
        let operation = "learn the cloud id from \(url.absoluteString)"
        var request = URLRequest(url: url)
        request.timeoutInterval = 20
        let session = CredentialScope.session(configuration: .ephemeral)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.cancellableData(for: request)
        } catch {
            throw APIError(service: "JSM Operations", operation: operation, kind: .transport(APIError.describeTransport(error, service: "the Jira site")))
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw APIError(service: "JSM Operations", operation: operation, kind: .status((response as? HTTPURLResponse)?.statusCode ?? 0))
        }
        guard let info = try? JSONDecoder().decode(JSMTenantInfo.self, from: data), !info.cloudId.isEmpty else {
            throw APIError(service: "JSM Operations", operation: operation, kind: .malformed("no cloudId"))
        }
        return info.cloudId
    }
}
