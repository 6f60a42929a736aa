import Foundation

/// Builds the configuration from its layers: flag > environment > file > default.
public enum ConfigurationResolver {
    /// Environment variables and the setting each one feeds.
    nonisolated(unsafe) public static let environmentVariables: [(name: String, keyPath: WritableKeyPath<ConfigurationInput, ConfigurationInput.Value?>)] = [
        ("ACCESS_RECONCILER_MANIFESTS", \.manifests),
        ("ACCESS_RECONCILER_FORMAT", \.format),
        ("TELEPORT_ADDR", \.teleportAddress),
        ("TELEPORT_IDENTITY_FILE", \.teleportIdentityFile),
        ("TELEPORT_WEB_PROXY_URL", \.webProxyURL),
        ("TELEPORT_ROUTE", \.teleportRoute),
        ("TELEPORT_CLUSTER", \.teleportCluster),
        ("OPSGENIE_API_URL", \.opsgenieURL),
        ("OPSGENIE_API_KEY_FILE", \.opsgenieAPIKeyFile),
        ("OPSGENIE_API_KEY", \.opsgenieAPIKey),
        ("OPSGENIE_PRIORITY", \.priority),
        ("ACCESS_RECONCILER_OWNER_TAG", \.ownerTag),
        ("ACCESS_RECONCILER_AUTO_APPROVE", \.autoApprove),
        ("ACCESS_RECONCILER_REVIEWER", \.reviewer),
        ("ACCESS_RECONCILER_AUTO_APPROVE_MAX_DURATION", \.autoApproveMaxDuration),
        ("ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE", \.autoApproveMaxRequestAge),
        ("ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY", \.autoApproveIdentity),
        ("ACCESS_RECONCILER_EMAIL_DOMAIN", \.emailDomain),
        ("ACCESS_RECONCILER_MAX_CHANGES", \.maxChanges),
        ("ACCESS_RECONCILER_MAX_ROUNDS", \.maxRounds),
        ("ACCESS_RECONCILER_CONCURRENCY", \.concurrency),
        ("ACCESS_RECONCILER_TIMEOUT", \.timeout),
        ("ACCESS_RECONCILER_LOCK_FILE", \.lockFile),
    ]

    /// Comma-separated list variables.
    nonisolated(unsafe) public static let environmentLists: [(name: String, keyPath: WritableKeyPath<ConfigurationInput, [ConfigurationInput.Value]?>)] = [
        ("OPSGENIE_DEFAULT_SCHEDULES", \.defaultSchedules),
        ("OPSGENIE_DEFAULT_TEAMS", \.defaultTeams),
        ("ACCESS_RECONCILER_AUTO_APPROVE_ROLES", \.autoApproveRoles),
        ("ACCESS_RECONCILER_AUTOMATED_REVIEWERS", \.automatedReviewers),
    ]

    /// The variable naming the configuration file when `--config` is not given.
    public static let configFileVariable = "ACCESS_RECONCILER_CONFIG"

    /// The layer the environment gives. Empty variables count as unset.
    public static func environmentInput(_ environment: [String: String]) -> ConfigurationInput {
        var input = ConfigurationInput()
        for (name, keyPath) in environmentVariables {
            if let value = environment[name], !value.isEmpty { input[keyPath: keyPath] = .init(value, source: name) }
        }
        for (name, keyPath) in environmentLists {
            if let value = environment[name], !value.isEmpty {
                input[keyPath: keyPath] = value.split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                    .map { .init($0, source: name) }
            }
        }
        return input
    }

    /// Merges the layers and checks every value.
    public static func resolve(flags: ConfigurationInput, environment: ConfigurationInput,
                               file: ConfigurationInput = ConfigurationInput()) throws -> ReconcilerConfiguration {
        func pick<T>(_ keyPath: KeyPath<ConfigurationInput, T?>) -> T? {
            flags[keyPath: keyPath] ?? environment[keyPath: keyPath] ?? file[keyPath: keyPath]
        }
        var config = ReconcilerConfiguration()
        if let value = pick(\.manifests) { config.manifestsPath = value.text }
        if let value = pick(\.format) {
            guard let format = ReportFormat(rawValue: value.text) else { throw invalid(value, "expected text or json") }
            config.format = format
        }
        config.teleportAddress = pick(\.teleportAddress)?.text
        config.teleportIdentityFile = pick(\.teleportIdentityFile)?.text
        if let value = pick(\.webProxyURL) { config.webProxyURL = try url(value) }
        if let value = pick(\.teleportRoute) {
            guard ["auto", "auth", "proxy"].contains(value.text) else { throw invalid(value, "expected auto, auth or proxy") }
            config.teleportRoute = value.text
        }
        config.teleportCluster = pick(\.teleportCluster)?.text
        if let value = pick(\.opsgenieURL) { config.opsgenieURL = try url(value) }
        config.opsgenieAPIKeyFile = pick(\.opsgenieAPIKeyFile)?.text
        if let value = pick(\.opsgenieAPIKey) { config.opsgenieAPIKey = Secret(value.text) }
        if let values = pick(\.defaultSchedules) { config.defaultSchedules = values.map(\.text) }
        if let values = pick(\.defaultTeams) { config.defaultTeams = values.map(\.text) }
        if let value = pick(\.priority) {
            guard let priority = AlertPriority(rawValue: value.text.uppercased()) else { throw invalid(value, "expected one of P1, P2, P3, P4, P5") }
            config.priority = priority
        }
        if let value = pick(\.ownerTag) {
            guard !value.text.isEmpty, value.text.count <= 50, !value.text.contains(" ") else {
                throw invalid(value, "the owner tag must be 1 to 50 characters without spaces (an Opsgenie tag)")
            }
            config.ownerTag = value.text
        }
        if let value = pick(\.autoApprove) {
            switch value.text.lowercased() {
            case "true", "yes", "1": config.autoApproval.enabled = true
            case "false", "no", "0": config.autoApproval.enabled = false
            default: throw invalid(value, "expected true or false")
            }
        }
        config.autoApproval.reviewer = pick(\.reviewer)?.text
        if let values = pick(\.autoApproveRoles) {
            config.autoApproval.roles = try values.map { value in
                do { return try RoleMatcher(value.text) } catch let error as PatternError { throw invalid(value, error.description) }
            }
        }
        if let value = pick(\.autoApproveMaxDuration) {
            guard let seconds = GoDuration.seconds(value.text), seconds > 0 else { throw invalid(value, "expected a duration such as 8h or 30m") }
            config.autoApproval.maxDuration = seconds
        }
        if let value = pick(\.autoApproveMaxRequestAge) {
            guard let seconds = GoDuration.seconds(value.text), seconds > 0 else { throw invalid(value, "expected a duration such as 30m or 2h") }
            config.autoApproval.maxRequestAge = seconds
        }
        if let values = pick(\.automatedReviewers) { config.autoApproval.automatedReviewers = values.map(\.text) }
        config.autoApproval.emailDomain = pick(\.emailDomain)?.text
        if let value = pick(\.autoApproveIdentity) {
            guard let identity = ApprovalIdentity(rawValue: value.text) else { throw invalid(value, "expected user, email_trait or email_domain") }
            if identity == .emailDomain && (config.autoApproval.emailDomain ?? "").isEmpty {
                throw invalid(value, "email_domain needs auto_approval.email_domain (ACCESS_RECONCILER_EMAIL_DOMAIN)")
            }
            config.autoApproval.identity = identity
        }
        if let value = pick(\.opsgenieWriteRate) { config.opsgenieWriteRate = try rate(value) }
        if let value = pick(\.opsgenieReadRate) { config.opsgenieReadRate = try rate(value) }
        if let value = pick(\.opsgenieScheduleRate) { config.opsgenieScheduleRate = try rate(value) }
        if let value = pick(\.opsgenieConcurrency) { config.opsgenieConcurrency = try count(value, minimum: 1) }
        if let value = pick(\.maxChanges) { config.maxChanges = try count(value, minimum: 0) }
        if let value = pick(\.maxRounds) { config.maxRounds = try count(value, minimum: 1) }
        if let value = pick(\.concurrency) { config.maxConcurrentWrites = try count(value, minimum: 1) }
        if let value = pick(\.timeout) {
            guard let seconds = GoDuration.seconds(value.text), seconds > 0 else { throw invalid(value, "expected a duration such as 9m or 300s") }
            config.timeout = seconds
        }
        if let value = pick(\.lockFile) {
            guard !value.text.isEmpty else { throw invalid(value, "expected a file path") }
            config.lockFile = value.text
        }
        return config
    }

    private static func rate(_ value: ConfigurationInput.Value) throws -> Double {
        guard let number = Double(value.text), number > 0 else { throw invalid(value, "expected a number of requests per second above 0") }
        return number
    }

    private static func count(_ value: ConfigurationInput.Value, minimum: Int) throws -> Int {
        guard let number = Int(value.text), number >= minimum else { throw invalid(value, "expected a whole number of at least \(minimum)") }
        return number
    }

    private static func url(_ value: ConfigurationInput.Value) throws -> URL {
        guard let url = URL(string: value.text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw invalid(value, "`\(value.text)` is not an http(s) URL")
        }
        return url
    }

    private static func invalid(_ value: ConfigurationInput.Value, _ problem: String) -> ConfigurationError {
        .invalid(source: value.source, problem: problem)
    }
}
