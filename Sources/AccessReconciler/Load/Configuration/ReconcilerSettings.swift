/// The settings the core owns, in the order the README lists them: Teleport, alerting (whatever
/// the backend), approval and the run. The alert backends declare their own.
public enum ReconcilerSettings {
    /// The configuration before any setting: the defaults the table shows are read from it.
    static let defaults = ReconcilerConfiguration()

    /// Every core setting, in the table's order.
    static var all: [Entry] { general + teleport + alerting + autoApproval + run }

    /// How a user gives the core setting `key`, for messages (`--lock-file or ACCESS_RECONCILER_LOCK_FILE`).
    public static func howToSet(_ key: String) -> String { all.howToSet(key) }

    /// The core setting `key`'s flag (`--lock-file`), for messages.
    public static func flag(_ key: String) -> String { all.flag(key) }

    /// The core setting `key`'s variable, for messages.
    public static func variable(_ key: String) -> String { all.variable(key) }

    public typealias Entry = Setting<ReconcilerConfiguration>

    public static let general: [Entry] = [
        Entry(.init(key: "manifests", flag: "--manifests", environment: "ACCESS_RECONCILER_MANIFESTS", shape: .path, valueName: "PATH",
                    default: SettingDeclaration.shown(defaults.manifestsPath), help: "Role and user manifests: a file, or a folder searched for *.yaml and *.yml.")) {
            $0.manifestsPath = $1.text
        },
        Entry(.init(key: "format", flag: "--format", environment: "ACCESS_RECONCILER_FORMAT", valueName: "text|json",
                    default: SettingDeclaration.shown(defaults.format.rawValue), help: "How the report is printed.")) {
            $0.format = try $1.choice(of: ReportFormat.self)
        },
    ]

    /// Teleport's web address, for the links in alerts. How the job reaches Teleport is the
    /// Teleport client's to declare.
    public static let teleport: [Entry] = [
        Entry(.init(key: "teleport.web_proxy_url", flag: "--teleport-web-proxy-url", environment: "TELEPORT_WEB_PROXY_URL", valueName: "URL",
                    default: "no link in alerts", help: "Teleport's web address, for the link to the request in each alert.")) {
            $0.webProxyURL = try $1.url()
        },
    ]

    public static let alerting: [Entry] = [
        Entry(.init(key: "alerting.priority", flag: "--priority", environment: "ACCESS_RECONCILER_PRIORITY", valueName: "P1..P5",
                    default: SettingDeclaration.shown(defaults.priority.rawValue), help: "Priority of the alerts the job creates.")) {
            guard let priority = AlertPriority(rawValue: $1.text.uppercased()) else { throw $1.invalid("expected one of P1, P2, P3, P4, P5") }
            $0.priority = priority
        },
        Entry(.init(key: "alerting.default_schedules", flag: "--default-schedule", environment: "ACCESS_RECONCILER_DEFAULT_SCHEDULES",
                    shape: .list, valueName: "SCHEDULE", default: "none",
                    help: "Schedules an alert goes to when a request has no `teleport.dev/notify-services` annotation.")) {
            $0.defaultSchedules = $1.texts
        },
        Entry(.init(key: "alerting.default_teams", flag: "--default-team", environment: "ACCESS_RECONCILER_DEFAULT_TEAMS", shape: .list,
                    valueName: "TEAM", default: "none", help: "Teams an alert goes to when a request has no `teleport.dev/teams` annotation.")) {
            $0.defaultTeams = $1.texts
        },
        Entry(.init(key: "alerting.owner_tag", flag: "--owner-tag", environment: "ACCESS_RECONCILER_OWNER_TAG", valueName: "TAG",
                    default: SettingDeclaration.shown(defaults.ownerTag), help: "The tag that marks the job's alerts; change it only to run two jobs side by side.")) {
            // Counted as both backends count their 50-character tag limit (UTF-16 code units).
            guard !$1.text.isEmpty, $1.text.utf16.count <= PlanningPolicy.tagLength, !$1.text.contains(where: \.isWhitespace) else {
                throw $1.invalid("the owner tag must be 1 to 50 characters without spaces")
            }
            $0.ownerTag = $1.text
        },
        Entry(.init(key: "alerting.allow_plain_http", flag: "--allow-plain-http", environment: "ACCESS_RECONCILER_ALLOW_PLAIN_HTTP", shape: .toggle,
                    valueName: "true|false", default: SettingDeclaration.shown(defaults.allowPlainHTTP),
                    help: "Let the Opsgenie, JSM or Jira site URL be plain `http://` at an address that is not loopback: the API key or token then crosses the network unencrypted.")) {
            $0.allowPlainHTTP = try $1.bool()
        },
    ]

    public static let autoApproval: [Entry] = [
        Entry(.init(key: "auto_approval.enabled", flag: "--auto-approve", environment: "ACCESS_RECONCILER_AUTO_APPROVE", shape: .toggle,
                    valueName: "true|false", default: SettingDeclaration.shown(defaults.autoApproval.enabled), help: "Whether the job approves requests of on-call requesters.")) {
            $0.autoApproval.enabled = try $1.bool()
        },
        Entry(.init(key: "auto_approval.automated_reviewers", flag: "--automated-reviewer", environment: "ACCESS_RECONCILER_AUTOMATED_REVIEWERS",
                    shape: .list, valueName: "USER", default: "none",
                    help: "More users whose approvals count as automated, besides the job (any identity whose review reason is the job's) and `@teleport-access-approval-bot`: the job adds no approval where one of them approved. List other jobs' and self-hosted plugins' users here.")) {
            $0.autoApproval.automatedReviewers = $1.texts
        },
        Entry(.init(key: "auto_approval.ignore_approval_bot", flag: "--ignore-approval-bot", environment: "ACCESS_RECONCILER_IGNORE_APPROVAL_BOT",
                    shape: .toggle, valueName: "true|false", default: "`false`",
                    help: "Let the job approve where `@teleport-access-approval-bot` (Teleport's hosted plugins, built-in automatic reviews) already approved: two machine approvals. Only for clusters that want that.")) {
            $0.autoApproval.countsApprovalBot = !(try $1.bool())
        },
        Entry(.init(key: "auto_approval.identity", flag: "--auto-approve-identity", environment: "ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY",
                    valueName: "user|email_trait|email_domain", default: SettingDeclaration.shown(defaults.autoApproval.identity.rawValue),
                    help: "Who counts as the requester in on-call lists: the Teleport user name (as Teleport's plugin), the `email` trait, or the user name within `auto_approval.email_domain`.")) {
            $0.autoApproval.identity = try $1.choice(of: ApprovalIdentity.self)
        },
        Entry(.init(key: "auto_approval.roles", flag: "--auto-approve-role", environment: "ACCESS_RECONCILER_AUTO_APPROVE_ROLES", shape: .list,
                    valueName: "ROLE", default: "any role", help: "Roles that may be approved (globs and `^regex$` as in Teleport).")) {
            configuration, value in
            configuration.autoApproval.roles = try value.texts.map { role in
                do { return try RoleMatcher(role) } catch let error as PatternError { throw value.invalid(error.description) }
            }
        },
        Entry(.init(key: "auto_approval.max_duration", flag: "--auto-approve-max-duration", environment: "ACCESS_RECONCILER_AUTO_APPROVE_MAX_DURATION",
                    valueName: "DURATION", default: "no limit", help: "Approve only requests for at most this long (e.g. 8h).")) {
            $0.autoApproval.maxDuration = try $1.duration(example: "8h or 30m")
        },
        Entry(.init(key: "auto_approval.max_request_age", flag: "--auto-approve-max-request-age",
                    environment: "ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE", valueName: "DURATION", default: "no limit",
                    help: "Approve only requests younger than this (e.g. 15m).")) {
            $0.autoApproval.maxRequestAge = try $1.duration(example: "30m or 2h")
        },
        Entry(.init(key: "auto_approval.email_domain", flag: "--email-domain", environment: "ACCESS_RECONCILER_EMAIL_DOMAIN", valueName: "DOMAIN",
                    default: "none", help: "The domain of `identity: email_domain`.")) {
            $0.autoApproval.emailDomain = try $1.nonEmpty("a domain")
        },
    ]

    /// `auto_approval.reviewer` (`--reviewer`, `ACCESS_RECONCILER_REVIEWER`) was a setting until
    /// the job learnt that Teleport refuses a review whose author is not the caller (the builtin
    /// Admin role aside): the author is always the identity's user, so the name is refused, not
    /// ignored, wherever a configuration still gives it.
    public static let removedReviewer = "auto_approval.reviewer is no longer a setting: Teleport records the identity's user as the author of every review and refuses any other name; remove it (the identity's user is the reviewer)"

    public static let refusedFileKeys = [RefusedFileKey(key: "auto_approval.reviewer", message: removedReviewer)]

    /// Environment variables of removed settings, refused with the same message.
    public static let refusedEnvironment = ["ACCESS_RECONCILER_REVIEWER": removedReviewer]

    public static let run: [Entry] = [
        Entry(.init(key: "max_changes", flag: "--max-changes", environment: "ACCESS_RECONCILER_MAX_CHANGES", valueName: "N", default: "no limit",
                    help: "`apply` refuses a plan with more writes, changing nothing.")) {
            $0.maxChanges = try $1.count(minimum: 0)
        },
        Entry(.init(key: "max_rounds", flag: "--max-rounds", environment: "ACCESS_RECONCILER_MAX_ROUNDS", valueName: "N", default: SettingDeclaration.shown(defaults.maxRounds),
                    help: "Looks `apply` makes, each followed by its writes, before it gives up on agreement.")) {
            $0.maxRounds = try $1.count(minimum: 1)
        },
        Entry(.init(key: "concurrency", flag: "--concurrency", environment: "ACCESS_RECONCILER_CONCURRENCY", valueName: "N", default: SettingDeclaration.shown(defaults.maxConcurrentWrites),
                    help: "Requests whose writes are being sent at the same time; a request whose write the alert backend is still processing does not count (up to 256 requests are under way).")) {
            $0.maxConcurrentWrites = try $1.count(minimum: 1)
        },
        Entry(.init(key: "timeout", flag: "--timeout", environment: "ACCESS_RECONCILER_TIMEOUT", valueName: "DURATION", default: SettingDeclaration.shown(GoDuration.format(defaults.timeout)),
                    help: "The whole run's deadline: then no write starts, reads in flight are cancelled, writes in flight get 2.5 s, the report says what is left, exit 1; the process ends 4.5 s after it at the latest.")) {
            $0.timeout = try $1.duration(example: "9m or 300s")
        },
        Entry(.init(key: "lock_file", flag: "--lock-file", environment: "ACCESS_RECONCILER_LOCK_FILE", shape: .path, valueName: "FILE",
                    default: "one per Teleport address in `$XDG_RUNTIME_DIR/access-reconciler/`, or `access-reconciler-<uid>/` in the temporary folder",
                    help: "The file `apply` locks so that runs on this machine never overlap; it must be the job's user's own, not a symbolic link.")) {
            $0.lockFile = try $1.nonEmpty("a file path")
        },
        Entry(.init(key: "plan_max_age", flag: "--plan-max-age", environment: "ACCESS_RECONCILER_PLAN_MAX_AGE", valueName: "DURATION",
                    default: SettingDeclaration.shown(GoDuration.format(defaults.planMaxAge)), help: "`apply --plan` refuses a plan saved longer ago than this.")) {
            $0.planMaxAge = try $1.duration(example: "1h or 30m")
        },
    ]

    /// The configuration the layers give, after the checks that involve several settings.
    public static func resolve(_ layers: SettingLayers, settings: [Entry]) throws -> ReconcilerConfiguration {
        let configuration = try layers.resolve(settings, into: ReconcilerConfiguration())
        if configuration.autoApproval.identity == .emailDomain && (configuration.autoApproval.emailDomain ?? "").isEmpty,
           let identity = layers.value("auto_approval.identity") {
            throw identity.invalid("email_domain needs auto_approval.email_domain (\(variable("auto_approval.email_domain")))")
        }
        return configuration
    }
}
