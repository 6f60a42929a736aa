import AccessReconciler
import Foundation

/// The Opsgenie backend's own settings, declared here so that the core knows nothing of them, and
/// the older Opsgenie names of settings that now belong to every backend.
public struct OpsgenieSettings: Sendable {
    public var url: URL = OpsgenieConfiguration.usBaseURL
    public var apiKeyFile: String?
    /// The key itself, from `OPSGENIE_API_KEY`.
    public var apiKey: Secret?
    /// Start rates and ceilings per bucket, as configured.
    public var rateLimits: [OpsgenieDomain: Double] = [:]
    public var rateCeilings: [OpsgenieDomain: Double] = [:]
    public var concurrency: Int?

    public init() {}

    public typealias Entry = Setting<OpsgenieSettings>

    public static let settings: [Entry] = [
        Entry(.init(key: "opsgenie.url", flag: "--opsgenie-url", environment: "OPSGENIE_API_URL", valueName: "URL",
                    default: SettingDeclaration.shown(OpsgenieConfiguration.usBaseURL.absoluteString), help: "Opsgenie's API; accounts in the EU use `https://api.eu.opsgenie.com`.")) {
            $0.url = try $1.url()
        },
        Entry(.init(key: "opsgenie.api_key_file", flag: "--opsgenie-api-key-file", environment: "OPSGENIE_API_KEY_FILE", shape: .path,
                    valueName: "FILE", help: "File holding the key of an Opsgenie API integration, alone.")) {
            $0.apiKeyFile = try $1.nonEmpty("a file path")
        },
        Entry(.init(key: "opsgenie.api_key", environment: "OPSGENIE_API_KEY", inFile: false, secret: true,
                    help: "The Opsgenie API key itself, in place of a key file.")) {
            $0.apiKey = Secret($1.text)
        },
    ] + rateSettings + [
        Entry(.init(key: "opsgenie.concurrency", flag: "--opsgenie-concurrency", environment: "OPSGENIE_CONCURRENCY", valueName: "N",
                    default: SettingDeclaration.shown(OpsgenieConfiguration.defaultConcurrency), help: "Opsgenie requests in flight at once.")) {
            $0.concurrency = try $1.count(minimum: 1)
        },
    ]

    /// The start rate and ceiling of each Opsgenie bucket, with the client's defaults.
    static let rateSettings: [Entry] = [
        (OpsgenieDomain.alertWrite, "alert_write", "write", RateBucketSettings.alertWriteHelp.start, RateBucketSettings.alertWriteHelp.ceiling),
        (.alertRead, "alert_read", "read", RateBucketSettings.alertReadHelp.start, RateBucketSettings.alertReadHelp.ceiling),
        (.schedule, "schedule", "schedule", "On-call lookups per second to start at.", "The most on-call lookups per second the pace may rise to."),
    ].flatMap { domain, bucket, name, startHelp, ceilingHelp in
        let pace = OpsgenieConfiguration.defaultRateLimits[domain] ?? RatePolicy(start: 1, ceiling: 1)
        return RateBucketSettings(backend: "opsgenie", bucket: bucket, name: name, start: pace.start, ceiling: pace.ceiling,
                                  startHelp: startHelp, ceilingHelp: ceilingHelp)
            .settings(of: OpsgenieSettings.self, start: { $0.rateLimits[domain] = $1 }, ceiling: { $0.rateCeilings[domain] = $1 })
    }

    /// The `opsgenie.*` keys and `OPSGENIE_*` variables of settings that now apply to both backends.
    public static let deprecatedNames: [SettingAlias] = [
        SettingAlias(key: "alerting.priority", oldKey: "opsgenie.priority", oldEnvironment: "OPSGENIE_PRIORITY"),
        SettingAlias(key: "alerting.default_schedules", oldKey: "opsgenie.default_schedules", oldEnvironment: "OPSGENIE_DEFAULT_SCHEDULES"),
        SettingAlias(key: "alerting.default_teams", oldKey: "opsgenie.default_teams", oldEnvironment: "OPSGENIE_DEFAULT_TEAMS"),
        SettingAlias(key: "alerting.owner_tag", oldKey: "opsgenie.owner_tag"),
    ]

    public static let refusedFileKeys = [
        RefusedFileKey(key: "opsgenie.api_key",
                       message: "an API key does not belong in the configuration file; put it in the file named by api_key_file or in \(settings.variable("opsgenie.api_key"))"),
    ]

    /// The client's configuration; reads the key file.
    public func configuration() throws -> OpsgenieConfiguration {
        var configuration = OpsgenieConfiguration(baseURL: url, apiKey: try resolveAPIKey())
        for (domain, fallback) in configuration.rateLimits {
            configuration.rateLimits[domain] = .configured(start: rateLimits[domain], ceiling: rateCeilings[domain], default: fallback)
        }
        if let concurrency { configuration.maxConcurrentRequests = concurrency }
        return configuration
    }

    /// The API key, from the environment or the key file; never logged.
    public func resolveAPIKey() throws -> Secret {
        if let apiKey { return apiKey }
        guard let apiKeyFile else {
            throw ConfigurationError.missing("the Opsgenie API key: set \(Self.settings.variable("opsgenie.api_key")) or \(Self.settings.flag("opsgenie.api_key_file"))")
        }
        return try Secret.read(file: apiKeyFile, what: "Opsgenie API key")
    }
}
