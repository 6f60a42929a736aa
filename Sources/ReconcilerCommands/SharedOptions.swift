import AccessReconciler
import ArgumentParser
import Foundation

/// Options every command that talks to Teleport shares. Each is a setting of `RunSettings.catalog`,
/// which gives its help, variable and file key; the property's name is the flag's (`teleportAddr`
/// is `--teleport-addr`), and the flag layer is read from the properties by reflection, so that a
/// setting is declared once. A test checks that the properties and the catalog's flags agree.
struct SharedOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML). Env: ACCESS_RECONCILER_CONFIG.", valueName: "file"))
    var config: String?

    @Option(help: .setting("--log-level")) var logLevel: String?
    @Option(help: .setting("--log-format")) var logFormat: String?
    @Option(help: .setting("--metrics-file")) var metricsFile: String?
    @Option(help: .setting("--pushgateway-url")) var pushgatewayUrl: String?

    @Option(help: .setting("--manifests")) var manifests: String?
    @Option(help: .setting("--format")) var format: String?
    @Option(help: .setting("--teleport-addr")) var teleportAddr: String?
    @Option(help: .setting("--teleport-identity")) var teleportIdentity: String?
    @Option(help: .setting("--teleport-route")) var teleportRoute: String?
    @Option(help: .setting("--teleport-cluster")) var teleportCluster: String?
    @Option(help: .setting("--teleport-web-proxy-url")) var teleportWebProxyUrl: String?
    @Option(help: .setting("--alert-backend")) var alertBackend: String?
    @Option(help: .setting("--priority")) var priority: String?
    @Option(help: .setting("--default-schedule")) var defaultSchedule: [String] = []
    @Option(help: .setting("--default-team")) var defaultTeam: [String] = []
    @Option(help: .setting("--owner-tag")) var ownerTag: String?
    @Option(help: .setting("--allow-plain-http")) var allowPlainHttp: String?
    @Option(help: .setting("--auto-approve")) var autoApprove: String?
    @Option(help: .setting("--automated-reviewer")) var automatedReviewer: [String] = []
    @Option(help: .setting("--ignore-approval-bot")) var ignoreApprovalBot: String?
    @Option(help: .setting("--auto-approve-identity")) var autoApproveIdentity: String?
    @Option(help: .setting("--auto-approve-role")) var autoApproveRole: [String] = []
    @Option(help: .setting("--auto-approve-max-duration")) var autoApproveMaxDuration: String?
    @Option(help: .setting("--auto-approve-max-request-age")) var autoApproveMaxRequestAge: String?
    @Option(help: .setting("--email-domain")) var emailDomain: String?
    @Option(help: .setting("--max-rounds")) var maxRounds: String?
    @Option(help: .setting("--concurrency")) var concurrency: String?
    @Option(help: .setting("--timeout")) var timeout: String?
    @Option(help: .setting("--lock-file")) var lockFile: String?
    @Option(help: .setting("--plan-max-age")) var planMaxAge: String?
    @Option(help: .setting("--opsgenie-url")) var opsgenieUrl: String?
    @Option(help: .setting("--opsgenie-api-key-file")) var opsgenieApiKeyFile: String?
    @Option(help: .setting("--opsgenie-write-rate")) var opsgenieWriteRate: String?
    @Option(help: .setting("--opsgenie-write-rate-ceiling")) var opsgenieWriteRateCeiling: String?
    @Option(help: .setting("--opsgenie-read-rate")) var opsgenieReadRate: String?
    @Option(help: .setting("--opsgenie-read-rate-ceiling")) var opsgenieReadRateCeiling: String?
    @Option(help: .setting("--opsgenie-schedule-rate")) var opsgenieScheduleRate: String?
    @Option(help: .setting("--opsgenie-schedule-rate-ceiling")) var opsgenieScheduleRateCeiling: String?
    @Option(help: .setting("--opsgenie-concurrency")) var opsgenieConcurrency: String?
    @Option(help: .setting("--jsm-site-url")) var jsmSiteUrl: String?
    @Option(help: .setting("--jsm-api-url")) var jsmApiUrl: String?
    @Option(help: .setting("--jsm-cloud-id")) var jsmCloudId: String?
    @Option(help: .setting("--jsm-user")) var jsmUser: String?
    @Option(help: .setting("--jsm-api-token-file")) var jsmApiTokenFile: String?
    @Option(help: .setting("--jsm-users-file")) var jsmUsersFile: String?
    @Option(help: .setting("--jsm-write-rate")) var jsmWriteRate: String?
    @Option(help: .setting("--jsm-write-rate-ceiling")) var jsmWriteRateCeiling: String?
    @Option(help: .setting("--jsm-read-rate")) var jsmReadRate: String?
    @Option(help: .setting("--jsm-read-rate-ceiling")) var jsmReadRateCeiling: String?
    @Option(help: .setting("--jsm-schedule-rate")) var jsmScheduleRate: String?
    @Option(help: .setting("--jsm-schedule-rate-ceiling")) var jsmScheduleRateCeiling: String?
    @Option(help: .setting("--jsm-user-rate")) var jsmUserRate: String?
    @Option(help: .setting("--jsm-user-rate-ceiling")) var jsmUserRateCeiling: String?
    @Option(help: .setting("--jsm-concurrency")) var jsmConcurrency: String?

    /// Flags a command adds of its own (`apply --max-changes`), by flag name.
    var commandFlags: [String: [String]] = [:]

    /// The settings flags given, by flag name (`--priority` → its value).
    var flagValues: [String: [String]] {
        var values = commandFlags
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, label.hasPrefix("_"), let flag = Self.settingFlag(property: String(label.dropFirst())) else { continue }
            if let option = child.value as? Option<String?>, let text = option.wrappedValue {
                values[flag] = [text]
            } else if let option = child.value as? Option<[String]>, !option.wrappedValue.isEmpty {
                values[flag] = option.wrappedValue
            }
        }
        return values
    }

    /// The flag of a settings property: `teleportWebProxyUrl` → `--teleport-web-proxy-url`; nil for
    /// the options that are not settings.
    static func settingFlag(property: String) -> String? {
        guard property != "config" else { return nil }
        var flag = "--"
        for character in property {
            if character.isUppercase { flag += "-" + character.lowercased() } else { flag.append(character) }
        }
        return flag
    }

    /// A flag with a value no setting takes is refused before anything is read or connected, as
    /// the same value in the environment or the file is: exit 1, naming the setting. Exit 64 is
    /// left to what the argument parser itself refuses (an unknown option, a missing value).
    /// (The argument parser prints an error of another type than its own as it is, without the
    /// usage, and exits 1.)
    func validate() throws {
        try RunSettings.check(RunSettings.catalog.flagLayer(flagValues))
    }

    /// Combines flags, environment and the configuration file.
    func resolveSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RunSettings {
        try RunSettings.resolve(flags: flagValues, configFile: config, environment: environment)
    }
}

extension ArgumentHelp {
    /// The help of a declared setting: its sentence, variable and default.
    static func setting(_ flag: String) -> ArgumentHelp {
        settingHelp[flag] ?? ArgumentHelp("(undeclared setting)")
    }

    /// Built once: the parser makes every option's help anew each time it makes the options, and
    /// the text of some sixty settings is worth keeping (tests parse command lines thousands of times).
    private static let settingHelp: [String: ArgumentHelp] = Dictionary(
        RunSettings.catalog.declarations.compactMap { declaration -> (String, ArgumentHelp)? in
            guard let flag = declaration.flag else { return nil }
            var text = declaration.help.replacingOccurrences(of: "`", with: "")
            if declaration.shape == .list { text += " Repeatable." }
            if let variable = declaration.environment { text += " Env: \(variable)\(declaration.shape == .list ? ", comma-separated" : "")." }
            text += " File: \(declaration.key)."
            if !declaration.defaultDescription.isEmpty { text += " Default: \(declaration.defaultDescription.replacingOccurrences(of: "`", with: ""))." }
            return (flag, ArgumentHelp(text, valueName: declaration.valueName.lowercased()))
        }, uniquingKeysWith: { first, _ in first })
}
