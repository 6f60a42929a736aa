import AccessReconciler
import Foundation
import JSMClient
import OpsgenieClient
import ReconcilerMonitoring
import TeleportClient

/// Every setting of one run, from the modules that own them: the core's, the choice of alert
/// backend, and each backend's own. The catalog they make is the one list that the flags, the
/// environment, the configuration file and the README's table are read from.
public struct RunSettings: Sendable {
    var core = ReconcilerConfiguration()
    var teleport = TeleportSettings()
    var backend = AlertBackendID.opsgenie
    var opsgenie = OpsgenieSettings()
    var jsm = JSMSettings()
    var monitoring = MonitoringSettings()
    /// Deprecated names that were used, to print before the run.
    var warnings: [String] = []

    static let backendSetting = Setting<AlertBackendID>(
        .init(key: "alerting.backend", flag: "--alert-backend", environment: "ACCESS_RECONCILER_ALERT_BACKEND", valueName: "opsgenie|jsm",
              default: SettingDeclaration.shown(RunSettings().backend.rawValue), help: "The alerting service: Opsgenie, or Jira Service Management Operations.")
    ) {
        $0 = try $1.choice(of: AlertBackendID.self)
    }

    static let coreSettings = ReconcilerSettings.general + ReconcilerSettings.teleport + ReconcilerSettings.alerting
        + ReconcilerSettings.autoApproval + ReconcilerSettings.run

    public static let catalog = SettingsCatalog(
        declarations: ReconcilerSettings.general.map(\.declaration) + TeleportSettings.settings.map(\.declaration)
            + ReconcilerSettings.teleport.map(\.declaration)
            + [backendSetting.declaration] + ReconcilerSettings.alerting.map(\.declaration)
            + ReconcilerSettings.autoApproval.map(\.declaration) + ReconcilerSettings.run.map(\.declaration)
            + MonitoringSettings.settings.map(\.declaration)
            + OpsgenieSettings.settings.map(\.declaration) + JSMSettings.settings.map(\.declaration),
        aliases: OpsgenieSettings.deprecatedNames,
        refusedFileKeys: ReconcilerSettings.refusedFileKeys + OpsgenieSettings.refusedFileKeys + JSMSettings.refusedFileKeys
    )

    /// The settings from flags (by flag name), the environment and the configuration file that
    /// `--config` or `ACCESS_RECONCILER_CONFIG` names.
    static func resolve(flags: [String: [String]], configFile: String?, environment: [String: String]) throws -> RunSettings {
        for (name, message) in ReconcilerSettings.refusedEnvironment where environment[name] != nil {
            throw ConfigurationError.invalid(source: name, problem: message)
        }
        let file = try (configFile ?? environment[SettingsCatalog.configFileVariable].flatMap { $0.isEmpty ? nil : $0 })
            .map { try catalog.fileLayer(path: $0) } ?? SettingLayer()
        let layers = SettingLayers(flags: catalog.flagLayer(flags), environment: catalog.environmentLayer(environment), file: file)
        return try resolve(layers)
    }

    /// Checks each value of one layer on its own (no check that involves several settings).
    static func check(_ layer: SettingLayer) throws {
        let layers = SettingLayers(flags: layer)
        _ = try layers.resolve(coreSettings, into: ReconcilerConfiguration())
        _ = try layers.resolve(TeleportSettings.settings, into: TeleportSettings())
        _ = try layers.resolve([backendSetting], into: AlertBackendID.opsgenie)
        _ = try layers.resolve(OpsgenieSettings.settings, into: OpsgenieSettings())
        _ = try layers.resolve(JSMSettings.settings, into: JSMSettings())
        _ = try layers.resolve(MonitoringSettings.settings, into: MonitoringSettings())
    }

    static func resolve(_ layers: SettingLayers) throws -> RunSettings {
        var settings = RunSettings()
        settings.core = try ReconcilerSettings.resolve(layers, settings: coreSettings)
        settings.teleport = try layers.resolve(TeleportSettings.settings, into: settings.teleport)
        settings.backend = try layers.resolve([backendSetting], into: settings.backend)
        settings.opsgenie = try layers.resolve(OpsgenieSettings.settings, into: settings.opsgenie)
        settings.jsm = try layers.resolve(JSMSettings.settings, into: settings.jsm)
        settings.monitoring = try layers.resolve(MonitoringSettings.settings, into: settings.monitoring)
        settings.warnings = layers.warnings
        if !settings.core.allowPlainHTTP { try refusePlainHTTP(settings, layers) }
        return settings
    }

    /// The chosen backend's URLs carry its credential: plain `http://` only to a loopback address
    /// (the sandbox, a local proxy), unless `alerting.allow_plain_http` says otherwise.
    static func refusePlainHTTP(_ settings: RunSettings, _ layers: SettingLayers) throws {
        let urls: [(key: String, url: URL?)]
        switch settings.backend {
        case .opsgenie: urls = [("opsgenie.url", settings.opsgenie.url)]
        case .jsm: urls = [("jsm.api_url", settings.jsm.apiURL), ("jsm.site_url", settings.jsm.siteURL)]
        }
        for (key, url) in urls {
            guard let url, url.scheme?.lowercased() == "http", !isLoopback(url.host ?? "") else { continue }
            let problem = "\(url.absoluteString) is plain HTTP to an address that is not loopback, and the credential would cross the network unencrypted; use https://, or set alerting.allow_plain_http (\(ReconcilerSettings.variable("alerting.allow_plain_http"))) to allow it"
            throw layers.value(key)?.invalid(problem) ?? ConfigurationError.invalid(source: key, problem: problem)
        }
    }

    /// `localhost`, 127.0.0.0/8 and ::1.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
