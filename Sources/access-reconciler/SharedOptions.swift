import AccessReconciler
import ArgumentParser
import Foundation

/// Options every command shares. Each has an environment variable and a configuration-file key;
/// a flag wins over the environment, which wins over the file.
struct SharedOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML). Env: ACCESS_RECONCILER_CONFIG.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Role and user manifests: a file or a directory searched for *.yaml/*.yml. Env: ACCESS_RECONCILER_MANIFESTS. Default: ./manifests.", valueName: "path"))
    var manifests: String?

    @Option(name: .long, help: ArgumentHelp("Report format: text or json. Env: ACCESS_RECONCILER_FORMAT.", valueName: "format"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp("Teleport Auth Service or Proxy address (host:port). Env: TELEPORT_ADDR.", valueName: "host:port"))
    var teleportAddr: String?

    @Option(name: .long, help: ArgumentHelp("Teleport identity file (tctl auth sign --format=file, or Machine ID). Env: TELEPORT_IDENTITY_FILE.", valueName: "file"))
    var teleportIdentity: String?

    @Option(name: .long, help: ArgumentHelp("Teleport web address, for the link in alerts. Env: TELEPORT_WEB_PROXY_URL.", valueName: "url"))
    var teleportWebProxyUrl: String?

    @Option(name: .long, help: ArgumentHelp("How to reach the Auth Service: auto (port 3025 is the Auth Service, any other a Proxy with TLS routing), auth or proxy. Env: TELEPORT_ROUTE.", valueName: "route"))
    var teleportRoute: String?

    @Option(name: .long, help: ArgumentHelp("The cluster a Proxy routes to (default: the cluster that issued the identity). Env: TELEPORT_CLUSTER.", valueName: "name"))
    var teleportCluster: String?

    @Option(name: .long, help: ArgumentHelp("Opsgenie API URL (default https://api.opsgenie.com; EU: https://api.eu.opsgenie.com). Env: OPSGENIE_API_URL.", valueName: "url"))
    var opsgenieUrl: String?

    @Option(name: .long, help: ArgumentHelp("File holding the Opsgenie API key. Env: OPSGENIE_API_KEY_FILE, or OPSGENIE_API_KEY with the key itself.", valueName: "file"))
    var opsgenieApiKeyFile: String?

    @Option(name: .long, help: ArgumentHelp("Schedule notified when a request has no teleport.dev/notify-services annotation (repeatable). Env: OPSGENIE_DEFAULT_SCHEDULES, comma-separated.", valueName: "schedule"))
    var defaultSchedule: [String] = []

    @Option(name: .long, help: ArgumentHelp("Team notified when a request has no teleport.dev/teams annotation (repeatable). Env: OPSGENIE_DEFAULT_TEAMS, comma-separated.", valueName: "team"))
    var defaultTeam: [String] = []

    @Option(name: .long, help: ArgumentHelp("Alert priority, P1 to P5 (default P3). Env: OPSGENIE_PRIORITY.", valueName: "P1..P5"))
    var priority: String?

    @Option(name: .long, help: ArgumentHelp("The job's Teleport user, the author of its approvals (default: the user of the identity file). Env: ACCESS_RECONCILER_REVIEWER.", valueName: "user"))
    var reviewer: String?

    @Option(name: .long, help: ArgumentHelp("A user whose approvals count as automated (repeatable): the job adds no approval to a request that one of them, or the job, approved already. Default: @teleport-access-approval-bot. Env: ACCESS_RECONCILER_AUTOMATED_REVIEWERS, comma-separated.", valueName: "user"))
    var automatedReviewer: [String] = []

    @Option(name: .long, help: ArgumentHelp("Who counts as the requester in the on-call lists: user (the Teleport user name, as Teleport's plugin; default), email_trait or email_domain. Env: ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY.", valueName: "identity"))
    var autoApproveIdentity: String?

    @Option(name: .long, help: ArgumentHelp("Approve only requests younger than this (e.g. 15m); default: no limit. Env: ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE.", valueName: "duration"))
    var autoApproveMaxRequestAge: String?

    @Option(name: .long, help: ArgumentHelp("The whole run's deadline (default 9m): then no write starts, writes in flight finish, the report says what is left, and the run exits 1. Env: ACCESS_RECONCILER_TIMEOUT.", valueName: "duration"))
    var timeout: String?

    @Option(name: .long, help: ArgumentHelp("File that apply locks so that runs on this machine never overlap (default: one per Teleport address in the temporary folder). Env: ACCESS_RECONCILER_LOCK_FILE.", valueName: "file"))
    var lockFile: String?

    @Option(name: .long, help: ArgumentHelp("Log level for messages on standard error: trace, debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String = "warning"

    /// Set by `apply`'s `--max-changes`.
    var maxChanges: Int?

    /// The flag layer of the configuration.
    var input: ConfigurationInput {
        var input = ConfigurationInput()
        func value(_ text: String?, _ flag: String) -> ConfigurationInput.Value? { text.map { .init($0, source: flag) } }
        input.manifests = value(manifests, "--manifests")
        input.format = value(format, "--format")
        input.teleportAddress = value(teleportAddr, "--teleport-addr")
        input.teleportIdentityFile = value(teleportIdentity, "--teleport-identity")
        input.webProxyURL = value(teleportWebProxyUrl, "--teleport-web-proxy-url")
        input.teleportRoute = value(teleportRoute, "--teleport-route")
        input.teleportCluster = value(teleportCluster, "--teleport-cluster")
        input.opsgenieURL = value(opsgenieUrl, "--opsgenie-url")
        input.opsgenieAPIKeyFile = value(opsgenieApiKeyFile, "--opsgenie-api-key-file")
        input.priority = value(priority, "--priority")
        input.reviewer = value(reviewer, "--reviewer")
        input.timeout = value(timeout, "--timeout")
        input.lockFile = value(lockFile, "--lock-file")
        input.autoApproveIdentity = value(autoApproveIdentity, "--auto-approve-identity")
        input.autoApproveMaxRequestAge = value(autoApproveMaxRequestAge, "--auto-approve-max-request-age")
        if !automatedReviewer.isEmpty { input.automatedReviewers = automatedReviewer.map { .init($0, source: "--automated-reviewer") } }
        input.maxChanges = value(maxChanges.map(String.init), "--max-changes")
        if !defaultSchedule.isEmpty { input.defaultSchedules = defaultSchedule.map { .init($0, source: "--default-schedule") } }
        if !defaultTeam.isEmpty { input.defaultTeams = defaultTeam.map { .init($0, source: "--default-team") } }
        return input
    }

    /// Combines flags, environment and the configuration file.
    func resolveConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReconcilerConfiguration {
        let fileInput = try (config ?? environment[ConfigurationResolver.configFileVariable]).map(ConfigurationFile.read) ?? ConfigurationInput()
        return try ConfigurationResolver.resolve(flags: input, environment: ConfigurationResolver.environmentInput(environment), file: fileInput)
    }

    func validate() throws {
        if let format, ReportFormat(rawValue: format) == nil { throw ValidationError("--format must be text or json") }
        if let priority, AlertPriority(rawValue: priority.uppercased()) == nil { throw ValidationError("--priority must be one of P1, P2, P3, P4, P5") }
    }
}
