import AccessReconciler
import Foundation
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    static let fileYAML = """
    manifests: roles
    format: json
    teleport:
      addr: auth.example.com:3025
      identity_file: identity
      web_proxy_url: https://teleport.example.com
    opsgenie:
      url: https://api.eu.opsgenie.com
      api_key_file: /run/secrets/opsgenie
      priority: P2
      default_schedules: [file-schedule]
      default_teams: [file-team]
    auto_approval:
      enabled: true
      reviewer: access-bot
      roles: [editor, 'db-*']
      max_duration: 8h
      max_request_age: 15m
      automated_reviewers: [approval-bot, pagerduty-bot]
      identity: email_trait
      email_domain: example.com
    """

    func fileInput(_ yaml: String = ConfigurationTests.fileYAML) throws -> ConfigurationInput {
        let directory = try TestSupport.directory(["config.yaml": yaml])
        return try ConfigurationFile.read(path: directory + "/config.yaml")
    }

    @Test("the file alone: every key, relative paths taken from the file's directory")
    func fileOnly() throws {
        let input = try fileInput()
        let config = try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: ConfigurationInput(), file: input)
        #expect(config.manifestsPath.hasSuffix("/roles") && config.manifestsPath.hasPrefix("/"))
        #expect(config.teleportIdentityFile?.hasSuffix("/identity") == true)
        #expect(config.opsgenieAPIKeyFile == "/run/secrets/opsgenie")
        #expect(config.format == .json)
        #expect(config.opsgenieURL.absoluteString == "https://api.eu.opsgenie.com")
        #expect(config.priority == .p2)
        #expect(config.defaultSchedules == ["file-schedule"])
        #expect(config.autoApproval.reviewer == "access-bot")
        #expect(config.autoApproval.roles.map(\.source) == ["editor", "db-*"])
        #expect(config.autoApproval.maxDuration == 28_800)
        #expect(config.autoApproval.emailDomain == "example.com")
        #expect(config.autoApproval.maxRequestAge == 900)
        #expect(config.autoApproval.automatedReviewers == ["approval-bot", "pagerduty-bot"])
        #expect(config.autoApproval.identity == .emailTrait)
    }

    @Test("approval settings: defaults as narrow as Teleport's plugin; environment and flags override; bad values name their source")
    func approvalSettings() throws {
        let defaults = try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: ConfigurationInput())
        #expect(defaults.autoApproval.automatedReviewers == ["@teleport-access-approval-bot"])
        #expect(defaults.autoApproval.identity == .user)
        #expect(defaults.autoApproval.maxRequestAge == nil)
        let environment = ConfigurationResolver.environmentInput([
            "ACCESS_RECONCILER_AUTOMATED_REVIEWERS": "bot-a, bot-b", "ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY": "email_domain",
            "ACCESS_RECONCILER_EMAIL_DOMAIN": "corp.example", "ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE": "1h",
        ])
        let fromEnvironment = try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: environment, file: try fileInput())
        #expect(fromEnvironment.autoApproval.automatedReviewers == ["bot-a", "bot-b"])
        #expect(fromEnvironment.autoApproval.identity == .emailDomain)
        #expect(fromEnvironment.autoApproval.maxRequestAge == 3600)
        var flags = ConfigurationInput()
        flags.autoApproveIdentity = .init("user", source: "--auto-approve-identity")
        flags.automatedReviewers = [.init("only-bot", source: "--automated-reviewer")]
        let fromFlags = try ConfigurationResolver.resolve(flags: flags, environment: environment)
        #expect(fromFlags.autoApproval.identity == .user && fromFlags.autoApproval.automatedReviewers == ["only-bot"])

        let badIdentity = ConfigurationResolver.environmentInput(["ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY": "anyone"])
        #expect(throws: ConfigurationError.invalid(source: "ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY", problem: "expected user, email_trait or email_domain")) {
            try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: badIdentity)
        }
        let domainless = ConfigurationResolver.environmentInput(["ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY": "email_domain"])
        #expect(throws: ConfigurationError.self) { try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: domainless) }
        let badAge = ConfigurationResolver.environmentInput(["ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE": "soon"])
        #expect(throws: ConfigurationError.invalid(source: "ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE", problem: "expected a duration such as 30m or 2h")) {
            try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: badAge)
        }
    }

    @Test("precedence: flag over environment over file over default")
    func precedence() throws {
        let environment = ConfigurationResolver.environmentInput([
            "OPSGENIE_PRIORITY": "P4", "OPSGENIE_DEFAULT_SCHEDULES": "env-a, env-b", "TELEPORT_ADDR": "env:3025", "OPSGENIE_API_KEY": "",
        ])
        var flags = ConfigurationInput()
        flags.priority = .init("p1", source: "--priority")
        let config = try ConfigurationResolver.resolve(flags: flags, environment: environment, file: try fileInput())
        #expect(config.priority == .p1, "flag beats environment and file")
        #expect(config.defaultSchedules == ["env-a", "env-b"], "environment beats file")
        #expect(config.teleportAddress == "env:3025")
        #expect(config.defaultTeams == ["file-team"], "file beats default")
        #expect(config.opsgenieAPIKey == nil, "an empty variable counts as unset")
        let defaults = try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: ConfigurationInput())
        #expect(defaults.priority == .p3 && defaults.manifestsPath == "./manifests" && defaults.opsgenieURL.absoluteString == "https://api.opsgenie.com")
        #expect(defaults.ownerTag == "access-reconciler")
    }

    @Test("bad values name where they came from")
    func badValues() throws {
        let environment = ConfigurationResolver.environmentInput(["OPSGENIE_PRIORITY": "urgent"])
        #expect(throws: ConfigurationError.invalid(source: "OPSGENIE_PRIORITY", problem: "expected one of P1, P2, P3, P4, P5")) {
            try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: environment)
        }
        var flags = ConfigurationInput()
        flags.opsgenieURL = .init("api.opsgenie.com", source: "--opsgenie-url")
        #expect(throws: ConfigurationError.invalid(source: "--opsgenie-url", problem: "`api.opsgenie.com` is not an http(s) URL")) {
            try ConfigurationResolver.resolve(flags: flags, environment: ConfigurationInput())
        }
        let fileError = #expect(throws: ConfigurationError.self) {
            try ConfigurationResolver.resolve(flags: ConfigurationInput(), environment: ConfigurationInput(),
                                              file: try fileInput("auto_approval:\n  max_duration: soon\n"))
        }
        #expect(fileError?.description.contains("config.yaml:2:17 (auto_approval.max_duration): expected a duration") == true)
    }

    @Test("unknown keys in the file are errors with file and line")
    func unknownKey() throws {
        let error = #expect(throws: YAMLInputError.self) { try fileInput("opsgenie:\n  priorty: P1\n") }
        #expect(error?.description.contains("config.yaml:2:12: opsgenie.priorty: unknown key `priorty`") == true)
    }

    @Test("an API key in the file is refused; from the environment or a key file it is used but never shown")
    func apiKey() throws {
        let error = #expect(throws: YAMLInputError.self) { try fileInput("opsgenie:\n  api_key: 0123456789abcdef\n") }
        #expect(error?.description.contains("does not belong in the configuration file") == true)
        #expect(error?.description.contains("0123456789abcdef") == false)

        let fromEnvironment = try ConfigurationResolver.resolve(flags: ConfigurationInput(),
                                                                environment: ConfigurationResolver.environmentInput(["OPSGENIE_API_KEY": "key-from-env"]))
        #expect(try fromEnvironment.resolveOpsgenieAPIKey().value == "key-from-env")
        #expect("\(fromEnvironment.opsgenieAPIKey!)" == "<redacted>")
        #expect(!String(describing: fromEnvironment).contains("key-from-env"))
        #expect(!String(reflecting: fromEnvironment).contains("key-from-env"))

        let directory = try TestSupport.directory(["key": "key-from-file\n"])
        var config = ReconcilerConfiguration()
        config.opsgenieAPIKeyFile = directory + "/key"
        #expect(try config.resolveOpsgenieAPIKey().value == "key-from-file")
        config.opsgenieAPIKeyFile = directory + "/missing"
        #expect(throws: ConfigurationError.self) { try config.resolveOpsgenieAPIKey() }
    }

    @Test("a key file must hold the key alone: more lines, a folder or a FIFO are errors naming the file, never quoting it")
    func keyFileShape() throws {
        let directory = try TestSupport.directory(["two": "first-secret\nsecond-secret\n", "padded": "\n  the-key  \n\n"])
        var config = ReconcilerConfiguration()
        config.opsgenieAPIKeyFile = directory + "/padded"
        #expect(try config.resolveOpsgenieAPIKey().value == "the-key")
        config.opsgenieAPIKeyFile = directory + "/two"
        let twoLines = #expect(throws: ConfigurationError.self) { try config.resolveOpsgenieAPIKey() }
        #expect(twoLines == .invalid(source: directory + "/two", problem: "the Opsgenie API key file holds 2 non-empty lines; it must hold the Opsgenie API key alone"))
        #expect(twoLines?.description.contains("secret") == false)
        config.opsgenieAPIKeyFile = directory
        #expect(throws: ConfigurationError.invalid(source: directory, problem: "the Opsgenie API key file is a folder")) { try config.resolveOpsgenieAPIKey() }
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Reading a FIFO would block until a writer comes; it is refused without reading.
        #expect(throws: ConfigurationError.invalid(source: fifo, problem: "the Opsgenie API key file is a FIFO (named pipe), not a file; reading it would wait for a writer")) {
            config.opsgenieAPIKeyFile = fifo
            return try config.resolveOpsgenieAPIKey()
        }
    }
}
