import Foundation
import Logging
import Synchronization

/// The process's log and its one-line messages (warnings, the error a run ends with) in the chosen
/// format: `text` as before, or JSON lines, so that with `--log-format json` every line on
/// standard error parses as JSON.
public enum LogOutput {
    /// Starts the log; called once, before anything logs.
    public static func bootstrap(format: MonitoringSettings.LogFormat, level: String, runID: String) {
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .warning
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, runID: runID, level: parsed)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = parsed
                return handler
            }
        }
        State.format.withLock { $0 = format }
        State.runID.withLock { $0 = runID }
    }

    /// A message for the operator, whatever the log level: `access-reconciler: warning: …` as text,
    /// or a JSON line of that level.
    public static func say(_ level: Logger.Level, _ message: String) {
        switch State.format.withLock({ $0 }) {
        case .text:
            let word = level == .warning ? "warning" : level >= .error ? "error" : level.rawValue
            FileHandle.standardError.write(Data("access-reconciler: \(word): \(message)\n".utf8))
        case .json:
            let line = JSONLogHandler.line([
                "time": JSONLogHandler.timestamp(Date()), "level": level.rawValue, "run_id": State.runID.withLock { $0 },
                "logger": "access-reconciler", "message": message,
            ])
            LineSink.standardError.write(line)
        }
    }

    /// A new run id: eight hex digits, in every JSON line, the report and the lock file.
    public static func newRunID() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
    }

    enum State {
        static let format = Mutex(MonitoringSettings.LogFormat.text)
        static let runID = Mutex("")
    }
}
