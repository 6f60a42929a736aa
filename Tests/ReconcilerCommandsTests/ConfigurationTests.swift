import AccessReconciler
import ArgumentParser
@testable import ReconcilerCommands
import Foundation
import JSMClient
import OpsgenieClient
import ReconcilerTesting
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
    alerting:
      backend: jsm
      priority: P2
      default_schedules: [file-schedule]
      default_teams: [file-team]
    opsgenie:
      url: https://api.eu.opsgenie.com
      api_key_file: /run/secrets/opsgenie
      rate_limits: {alert_write: 2.5}
    jsm:
      site_url: https://example.atlassian.net
      user: bot@example.com
      api_token_file: token
      users_file: users.yaml
    auto_approval:
      enabled: true
      roles: [editor, 'db-*']
      max_duration: 8h
      max_request_age: 15m
      automated_reviewers: [approval-bot, pagerduty-bot]
      identity: email_trait
      email_domain: example.com
    max_changes: 200
    """

    func fileLayer(_ yaml: String = ConfigurationTests.fileYAML) throws -> SettingLayer {
        let directory = try TestRepository.temporaryFolder(["config.yaml": yaml])
        return try RunSettings.catalog.fileLayer(path: directory + "/config.yaml")
    }

    func resolve(flags: [String] = [], environment: [String: String] = [:], file: SettingLayer = SettingLayer()) throws -> RunSettings {
        let options = try SharedOptions.parse(flags)
        return try RunSettings.resolve(SettingLayers(flags: RunSettings.catalog.flagLayer(options.flagValues),
                                                     environment: RunSettings.catalog.environmentLayer(environment), file: file))
    }

    @Test("the file alone: every section, relative paths taken from the file's folder")
    func fileOnly() throws {
        let settings = try resolve(file: try fileLayer())
        let config = settings.core
        #expect(config.manifestsPath.hasSuffix("/roles") && config.manifestsPath.hasPrefix("/"))
        #expect(settings.teleport.identityFile?.hasSuffix("/identity") == true)
        #expect(config.format == .json)
        #expect(config.priority == .p2)
        #expect(config.defaultSchedules == ["file-schedule"] && config.defaultTeams == ["file-team"])
        #expect(config.maxChanges == 200)
        #expect(config.autoApproval.reviewer == nil, "the identity's user, set when the job connects")
        #expect(config.autoApproval.roles.map(\.source) == ["editor", "db-*"])
        #expect(config.autoApproval.maxDuration == .seconds(28_800) && config.autoApproval.maxRequestAge == .seconds(900))
        #expect(config.autoApproval.automatedReviewers == ["approval-bot", "pagerduty-bot"])
        #expect(config.autoApproval.identity == .emailTrait && config.autoApproval.emailDomain == "example.com")
        #expect(settings.backend == .jsm)
        #expect(settings.opsgenie.url.absoluteString == "https://api.eu.opsgenie.com")
        #expect(settings.opsgenie.apiKeyFile == "/run/secrets/opsgenie")
        #expect(settings.opsgenie.rateLimits == [.alertWrite: 2.5])
        #expect(settings.jsm.siteURL?.absoluteString == "https://example.atlassian.net")
        #expect(settings.jsm.user == "bot@example.com")
        #expect(settings.jsm.apiTokenFile?.hasSuffix("/token") == true && settings.jsm.usersFile?.hasSuffix("/users.yaml") == true)
        #expect(settings.warnings.isEmpty)
    }

    @Test("pacing: each bucket's start and ceiling from flags, environment or file; a start above the default ceiling lifts it")
    func pacingSettings() throws {
        let defaults = try resolve().opsgenie
        #expect(defaults.rateLimits.isEmpty && defaults.rateCeilings.isEmpty)
        let settings = try resolve(flags: ["--opsgenie-write-rate-ceiling", "40", "--jsm-user-rate-ceiling", "3"],
                                   environment: ["OPSGENIE_READ_RATE": "60", "JSM_WRITE_RATE_CEILING": "12"],
                                   file: try fileLayer("opsgenie:\n  rate_ceilings: {schedule: 7}\n"))
        var withKey = settings.opsgenie
        withKey.apiKey = Secret("k")
        let opsgenie = try withKey.configuration().rateLimits
        #expect(opsgenie[.alertWrite] == RatePolicy(start: 5, ceiling: 40))
        #expect(opsgenie[.alertRead] == RatePolicy(start: 60, ceiling: 60), "a start above the default ceiling is kept")
        #expect(opsgenie[.schedule] == RatePolicy(start: 5, ceiling: 7))
        #expect(settings.jsm.rateCeilings == [.alertWrite: 12, .user: 3])
        let error = #expect(throws: (any Error).self) { try resolve(flags: ["--opsgenie-write-rate-ceiling", "fast"]) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("--opsgenie-write-rate-ceiling"))
    }

    @Test("plain HTTP to the alert backend is refused except on loopback, naming the setting, unless allow_plain_http says so")
    func plainHTTP() throws {
        for url in ["http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:9", "https://api.eu.opsgenie.com"] {
            #expect(throws: Never.self, "\(url)") { try resolve(flags: ["--opsgenie-url", url]) }
        }
        #expect(throws: ConfigurationError.self) { try resolve(flags: ["--opsgenie-url", "http://api.opsgenie.com"]) }
        let error = #expect(throws: ConfigurationError.self) { try resolve(environment: ["OPSGENIE_API_URL": "http://10.0.0.5:8080"]) }
        #expect(error.map { "\($0)".contains("OPSGENIE_API_URL") && "\($0)".contains("unencrypted") } == true, "\(String(describing: error))")
        let jsm = #expect(throws: ConfigurationError.self) {
            try resolve(flags: ["--alert-backend", "jsm", "--jsm-site-url", "http://example.atlassian.net"])
        }
        #expect(jsm.map { "\($0)".contains("--jsm-site-url") } == true, "\(String(describing: jsm))")
        #expect(throws: Never.self) { try resolve(flags: ["--opsgenie-url", "http://api.opsgenie.com", "--allow-plain-http", "true"]) }
        #expect(throws: Never.self, "the other backend's URL is not used") {
            try resolve(flags: ["--alert-backend", "jsm", "--opsgenie-url", "http://api.opsgenie.com"])
        }
    }

    @Test("approval settings: defaults as narrow as Teleport's plugin; environment and flags override; bad values name their source")
    func approvalSettings() throws {
        let defaults = try resolve().core
        #expect(defaults.autoApproval.automatedReviewers == [] && defaults.autoApproval.countsApprovalBot)
        #expect(defaults.autoApproval.automatedAuthors(reviewer: "job") == ["job", "@teleport-access-approval-bot"])
        #expect(defaults.autoApproval.identity == .user && defaults.autoApproval.maxRequestAge == nil)
        let environment = [
            "ACCESS_RECONCILER_AUTOMATED_REVIEWERS": "bot-a, bot-b", "ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY": "email_domain",
            "ACCESS_RECONCILER_EMAIL_DOMAIN": "corp.example", "ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE": "1h",
        ]
        let fromEnvironment = try resolve(environment: environment, file: try fileLayer()).core
        #expect(fromEnvironment.autoApproval.automatedReviewers == ["bot-a", "bot-b"])
        #expect(fromEnvironment.autoApproval.identity == .emailDomain && fromEnvironment.autoApproval.maxRequestAge == .seconds(3600))
        let fromFlags = try resolve(flags: ["--auto-approve-identity", "user", "--automated-reviewer", "only-bot"], environment: environment).core
        #expect(fromFlags.autoApproval.identity == .user && fromFlags.autoApproval.automatedReviewers == ["only-bot"])
        #expect(fromFlags.autoApproval.automatedAuthors(reviewer: "job") == ["job", "@teleport-access-approval-bot", "only-bot"],
                "a list adds to Teleport's approval bot")
        let dropped = try resolve(flags: ["--ignore-approval-bot", "true"], environment: environment).core
        #expect(dropped.autoApproval.automatedAuthors(reviewer: "job") == ["job", "bot-a", "bot-b"], "only an explicit setting drops it")
        #expect(try resolve(environment: ["ACCESS_RECONCILER_IGNORE_APPROVAL_BOT": "true"]).core.autoApproval.countsApprovalBot == false)

        #expect(throws: ConfigurationError.invalid(source: "ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY", problem: "expected user, email_trait or email_domain")) {
            try resolve(environment: ["ACCESS_RECONCILER_AUTO_APPROVE_IDENTITY": "anyone"])
        }
        #expect(throws: ConfigurationError.invalid(source: "--auto-approve-identity",
                                                   problem: "email_domain needs auto_approval.email_domain (ACCESS_RECONCILER_EMAIL_DOMAIN)")) {
            try resolve(flags: ["--auto-approve-identity", "email_domain"])
        }
        #expect(throws: ConfigurationError.invalid(source: "ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE", problem: "expected a duration such as 30m or 2h")) {
            try resolve(environment: ["ACCESS_RECONCILER_AUTO_APPROVE_MAX_REQUEST_AGE": "soon"])
        }
    }

    @Test("precedence: flag over environment over file over default")
    func precedence() throws {
        let environment = ["ACCESS_RECONCILER_PRIORITY": "P4", "ACCESS_RECONCILER_DEFAULT_SCHEDULES": "env-a, env-b", "TELEPORT_ADDR": "env:3025",
                           "OPSGENIE_API_KEY": "", "ACCESS_RECONCILER_ALERT_BACKEND": "opsgenie"]
        let settings = try resolve(flags: ["--priority", "p1"], environment: environment, file: try fileLayer())
        #expect(settings.core.priority == .p1, "flag beats environment and file")
        #expect(settings.core.defaultSchedules == ["env-a", "env-b"], "environment beats file")
        #expect(settings.teleport.address == "env:3025")
        #expect(settings.backend == .opsgenie)
        #expect(settings.core.defaultTeams == ["file-team"], "file beats default")
        #expect(settings.opsgenie.apiKey == nil, "an empty variable counts as unset")
        let defaults = try resolve()
        #expect(defaults.core.priority == .p3 && defaults.core.manifestsPath == "./manifests" && defaults.core.ownerTag == "access-reconciler")
        #expect(defaults.opsgenie.url.absoluteString == "https://api.opsgenie.com" && defaults.backend == .opsgenie)
        #expect(defaults.jsm.apiURL.absoluteString == "https://api.atlassian.com")
    }

    @Test("the opsgenie.* keys and OPSGENIE_* variables of shared settings still work, with a warning; the new names win")
    func deprecatedNames() throws {
        let old = try resolve(environment: ["OPSGENIE_PRIORITY": "P5", "OPSGENIE_DEFAULT_TEAMS": "old-team"],
                              file: try fileLayer("opsgenie:\n  priority: P4\n  default_schedules: [old-schedule]\n  owner_tag: old-tag\n"))
        #expect(old.core.priority == .p5 && old.core.defaultTeams == ["old-team"])
        #expect(old.core.defaultSchedules == ["old-schedule"] && old.core.ownerTag == "old-tag")
        #expect(old.warnings.contains("OPSGENIE_PRIORITY is deprecated: use ACCESS_RECONCILER_PRIORITY"))
        #expect(old.warnings.contains { $0.contains("config.yaml:2:13: opsgenie.priority is deprecated: use alerting.priority") })
        #expect(old.warnings.count == 5)
        let both = try resolve(environment: ["OPSGENIE_PRIORITY": "P5", "ACCESS_RECONCILER_PRIORITY": "P1"],
                               file: try fileLayer("opsgenie:\n  owner_tag: old\nalerting:\n  owner_tag: new\n"))
        #expect(both.core.priority == .p1 && both.core.ownerTag == "new")
    }

    @Test("bad values name where they came from: flag, variable, or file and line")
    func badValues() throws {
        #expect(throws: ConfigurationError.invalid(source: "ACCESS_RECONCILER_PRIORITY", problem: "expected one of P1, P2, P3, P4, P5")) {
            try resolve(environment: ["ACCESS_RECONCILER_PRIORITY": "urgent"])
        }
        // A bad flag is a usage error, found while the command line is parsed.
        for (flags, message) in [(["--opsgenie-url", "api.opsgenie.com"], "--opsgenie-url: `api.opsgenie.com` is not an http(s) URL"),
                                 (["--alert-backend", "pagerduty"], "--alert-backend: expected opsgenie or jsm")] {
            let error = #expect(throws: (any Error).self) { try resolve(flags: flags) }
            #expect(error.map { SharedOptions.message(for: $0) } == message)
        }
        let fileError = #expect(throws: ConfigurationError.self) { try resolve(file: try fileLayer("auto_approval:\n  max_duration: soon\n")) }
        #expect(fileError?.description.contains("config.yaml:2:17 (auto_approval.max_duration): expected a duration") == true)
        let numberError = #expect(throws: ConfigurationError.self) { try resolve(file: try fileLayer("jsm:\n  rate_limits:\n    alert_write: -1\n")) }
        #expect(numberError?.description.contains("config.yaml:3:18 (jsm.rate_limits.alert_write): expected a number of requests per second above 0") == true)
    }

    @Test("unknown keys in the file are errors with file and line")
    func unknownKey() throws {
        let error = #expect(throws: YAMLInputError.self) { try fileLayer("alerting:\n  priorty: P1\n") }
        #expect(error?.description.contains("config.yaml:2:12: alerting.priorty: unknown key `priorty`") == true)
        let nested = #expect(throws: YAMLInputError.self) { try fileLayer("jsm:\n  rate_limits:\n    writes: 3\n") }
        #expect(nested?.description.contains("jsm.rate_limits.writes: unknown key `writes`") == true)
    }

    @Test("the removed reviewer setting is refused wherever it is given, saying that Teleport records the identity's user")
    func removedReviewer() throws {
        let file = #expect(throws: YAMLInputError.self) { try fileLayer("auto_approval:\n  reviewer: other-bot\n") }
        #expect(file?.description.contains("config.yaml:2:13: auto_approval.reviewer") == true)
        #expect(file?.description.contains("Teleport records the identity's user as the author of every review") == true)
        #expect(throws: ConfigurationError.invalid(source: "ACCESS_RECONCILER_REVIEWER", problem: ReconcilerSettings.removedReviewer)) {
            try RunSettings.resolve(flags: [:], configFile: nil, environment: ["ACCESS_RECONCILER_REVIEWER": "other-bot"])
        }
        #expect(throws: (any Error).self, "the flag is gone: the parser refuses it") { try SharedOptions.parse(["--reviewer", "other-bot"]) }
    }

    @Test("an API key or token in the file is refused; from the environment or a key file it is used but never shown")
    func secrets() throws {
        for (yaml, secret) in [("opsgenie:\n  api_key: 0123456789abcdef\n", "0123456789abcdef"), ("jsm:\n  api_token: ATATT3xFfGF0secret\n", "ATATT3xFfGF0secret")] {
            let error = #expect(throws: YAMLInputError.self) { try fileLayer(yaml) }
            #expect(error?.description.contains("does not belong in the configuration file") == true)
            #expect(error?.description.contains(secret) == false)
        }
        let settings = try resolve(environment: ["OPSGENIE_API_KEY": "key-from-env", "JSM_API_TOKEN": "token-from-env"])
        #expect(try settings.opsgenie.resolveAPIKey().value == "key-from-env")
        #expect(try settings.jsm.resolveAPIToken().value == "token-from-env")
        for text in [String(describing: settings), String(reflecting: settings)] {
            #expect(!text.contains("key-from-env") && !text.contains("token-from-env"))
        }
        let directory = try TestRepository.temporaryFolder(["key": "key-from-file\n"])
        var opsgenie = OpsgenieSettings()
        opsgenie.apiKeyFile = directory + "/key"
        #expect(try opsgenie.resolveAPIKey().value == "key-from-file")
        opsgenie.apiKeyFile = directory + "/missing"
        #expect(throws: ConfigurationError.self) { try opsgenie.resolveAPIKey() }
        #expect(throws: ConfigurationError.missing("the JSM API token: set JSM_API_TOKEN or --jsm-api-token-file")) { try JSMSettings().resolveAPIToken() }
    }

    @Test("a key file must hold the key alone: more lines, a folder or a FIFO are errors naming the file, never quoting it")
    func keyFileShape() throws {
        let directory = try TestRepository.temporaryFolder(["two": "first-secret\nsecond-secret\n", "padded": "\n  the-key  \n\n"])
        var settings = OpsgenieSettings()
        settings.apiKeyFile = directory + "/padded"
        #expect(try settings.resolveAPIKey().value == "the-key")
        settings.apiKeyFile = directory + "/two"
        let twoLines = #expect(throws: ConfigurationError.self) { try settings.resolveAPIKey() }
        #expect(twoLines == .invalid(source: directory + "/two", problem: "the Opsgenie API key file holds 2 non-empty lines; it must hold the Opsgenie API key alone"))
        #expect(twoLines?.description.contains("secret") == false)
        settings.apiKeyFile = directory
        #expect(throws: ConfigurationError.invalid(source: directory, problem: "the Opsgenie API key file is a folder")) { try settings.resolveAPIKey() }
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // Reading a FIFO would block until a writer comes; it is refused without reading.
        #expect(throws: ConfigurationError.invalid(source: fifo, problem: "the Opsgenie API key file is a FIFO (named pipe), not a file; reading it would wait for a writer")) {
            settings.apiKeyFile = fifo
            return try settings.resolveAPIKey()
        }
    }
}

@Suite("One table of settings")
struct SettingsTableTests {
    @Test("every declared flag is read by the commands and reaches its setting; keys and variables are unique")
    func flagsMatchDeclarations() async throws {
        let catalog = RunSettings.catalog
        for declaration in catalog.declarations where declaration.flag == nil {
            #expect(declaration.secret || declaration.environment != nil, "\(declaration.key) can be given somehow")
        }
        // Parsing is slow in a debug build (the parser checks the whole command at each parse):
        // parse on a thread of its own, and check here what each flag reached.
        let reached = try await OwnThread.run { () throws -> [(flag: String, key: String, value: String, got: SettingValue?)] in
            try catalog.declarations.compactMap { declaration in
                guard let flag = declaration.flag else { return nil }
                let value = Self.sample(declaration.valueName)
                let given = try ApplyCommand.parse([flag, value]).options.flagValues
                return (flag, declaration.key, value, catalog.flagLayer(given).values[declaration.key])
            }
        }
        #expect(reached.count == catalog.declarations.count { $0.flag != nil })
        for (flag, key, value, got) in reached {
            #expect(got == SettingValue(value, source: flag), "\(flag) → \(key)")
        }
        #expect(Set(catalog.declarations.map(\.key)).count == catalog.declarations.count, "keys are unique")
        let variables = catalog.declarations.compactMap(\.environment)
        #expect(Set(variables).count == variables.count, "variables are unique")
    }

    @Test("each command's help lists every setting with its variable, file key and default, from the declarations")
    func helpListsSettings() throws {
        for help in [PlanCommand.helpMessage(columns: 80), ApplyCommand.helpMessage(columns: 80), CheckCommand.helpMessage(columns: 80),
                     ValidateCommand.helpMessage(columns: 80)] {
            // The help's lines, joined, so that a wrapped sentence reads as one.
            let words = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for declaration in RunSettings.catalog.declarations {
                guard let flag = declaration.flag else { continue }
                #expect(help.contains("\n  \(flag) <\(declaration.valueName.lowercased())>\n"), "\(flag) is listed")
                #expect(words.contains("File: \(declaration.key)."), "\(declaration.key) is named")
                if let variable = declaration.environment { #expect(words.contains("Env: \(variable)"), "\(variable) is named") }
            }
            #expect(words.contains("Default: 9m."), "the timeout's default")
            let settingsSection = help.split(separator: "\n").drop { $0 != "SETTINGS:" }.prefix { !$0.hasPrefix("USAGE:") }
            #expect(settingsSection.count > 100 && settingsSection.allSatisfy { $0.count <= 80 }, "the section fits 80 columns")
        }
    }

    @Test("settings' flags are read as options are: --name value, --name=value, a list repeated, the last of a value given twice; anything else is a usage error")
    func settingFlagsParse() throws {
        let given = try SharedOptions.parse(["--priority", "P1", "--default-team=ops", "--default-team", "sre", "--priority=P3", "--teleport-cluster=-dev"]).flagValues
        #expect(given == ["--priority": ["P3"], "--default-team": ["ops", "sre"], "--teleport-cluster": ["-dev"]])
        for (arguments, message) in [(["--no-such-option", "x"], "Unknown option '--no-such-option'"),
                                     (["--priority"], "Missing value for '--priority <p1..p5>'"),
                                     (["--priority", "--format", "json"], "Missing value for '--priority <p1..p5>'"),
                                     (["--priority", "P1", "stray"], "Unexpected argument 'stray'"),
                                     (["-x"], "Unknown option '-x'")] {
            let error = #expect(throws: (any Error).self, "\(arguments)") { try SharedOptions.parse(arguments) }
            #expect(error.map { SharedOptions.message(for: $0) } == message, "\(arguments)")
            #expect(error.map { SharedOptions.exitCode(for: $0) } == ExitCode(64), "\(arguments)")
        }
        #expect(try ApplyCommand.parse(["--plan", "saved.json", "--plan-max-age", "2h", "--detailed-exitcode"]).options.flagValues
                == ["--plan-max-age": ["2h"]], "the command's own options are its own")
    }

    /// A value each kind of setting takes.
    static func sample(_ valueName: String) -> String {
        if valueName.contains("|") { return String(valueName.split(separator: "|")[0]) }
        switch valueName {
        case "URL": return "https://x.example"
        case "DURATION": return "90s"
        case "N", "PER_SECOND": return "7"
        case "P1..P5": return "P2"
        case "LEVEL": return "info"
        default: return "x"
        }
    }

    @Test("the README's configuration table is the one the declarations make (regenerate: access-reconciler settings)")
    func readmeTable() throws {
        let readme = try String(contentsOfFile: TestRepository.root + "/README.md", encoding: .utf8)
        let begin = "<!-- settings:begin -->\n", end = "<!-- settings:end -->"
        let start = try #require(readme.range(of: begin)), stop = try #require(readme.range(of: end))
        #expect(String(readme[start.upperBound..<stop.lowerBound]) == RunSettings.catalog.markdownTable())
    }
}
