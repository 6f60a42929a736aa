import AccessReconciler
import Foundation

/// How a run tells the outside what it did: the log on standard error (level, text or JSON lines),
/// and its metrics (a file for node_exporter's textfile collector, a Pushgateway).
public struct MonitoringSettings: Sendable, Hashable {
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    public var logLevel = "warning"
    public var logFormat = LogFormat.text
    /// Where the metrics are written at exit, whole or not at all; nil: no file.
    public var metricsFile: String?
    /// Where the metrics are pushed at exit; nil: no push.
    public var pushgatewayURL: URL?

    public init() {}

    public typealias Entry = Setting<MonitoringSettings>

    /// The log format's key: the command layer reads it on its own to report a settings error in
    /// the format asked for.
    public static let logFormatKey = "log.format"

    public static let settings: [Entry] = [
        Entry(.init(key: "log.level", flag: "--log-level", environment: "ACCESS_RECONCILER_LOG_LEVEL", valueName: "LEVEL", default: SettingDeclaration.shown(MonitoringSettings().logLevel),
                    help: "Messages on standard error at this level and above: trace, debug, info, notice, warning, error, critical.")) {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains($1.text.lowercased()) else { throw $1.invalid("expected one of \(levels.joined(separator: ", "))") }
            $0.logLevel = $1.text.lowercased()
        },
        Entry(.init(key: logFormatKey, flag: "--log-format", environment: "ACCESS_RECONCILER_LOG_FORMAT", valueName: "text|json", default: SettingDeclaration.shown(MonitoringSettings().logFormat.rawValue),
                    help: "`json`: one JSON object per line on standard error, with the run id, the level and fields.")) {
            $0.logFormat = try $1.choice(of: LogFormat.self)
        },
        Entry(.init(key: "metrics.file", flag: "--metrics-file", environment: "ACCESS_RECONCILER_METRICS_FILE", shape: .path, valueName: "FILE",
                    default: "none", help: "Prometheus metrics written at exit (a temporary file, then a rename), for node_exporter's textfile collector.")) {
            $0.metricsFile = try $1.nonEmpty("a file path")
        },
        Entry(.init(key: "metrics.pushgateway_url", flag: "--pushgateway-url", environment: "ACCESS_RECONCILER_PUSHGATEWAY_URL", valueName: "URL",
                    default: "none", help: "A Prometheus Pushgateway the metrics are pushed to at exit, as job `access-reconciler` with a `cluster` label.")) {
            $0.pushgatewayURL = try $1.url()
        },
    ]
}
