import AccessReconciler
import ArgumentParser
import Foundation
import Logging

/// Shared steps of the commands: logging, configuration and manifests, and turning library errors
/// into a one-line message and exit code 1.
enum CommandRunner {
    static func bootstrapLogging(level: String) {
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
    }

    /// Runs `body`, printing any error to standard error and exiting 1.
    static func run(_ body: () async throws -> ExitStatus) async throws {
        let status: ExitStatus
        do {
            status = try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("access-reconciler: error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }

    static func loadManifests(_ configuration: ReconcilerConfiguration) throws -> ManifestSet {
        try ManifestLoader().load(path: configuration.manifestsPath)
    }

    /// load → observe → plan → (apply) → report, against the configured Teleport and Opsgenie.
    static func reconcile(_ mode: RunReport.Mode, options: SharedOptions, detailedExitCode: Bool) async throws -> ExitStatus {
        var configuration = try options.resolveConfiguration()
        let manifests = try loadManifests(configuration)
        let (backends, close) = try BackendConnector.connect(&configuration)
        let report: RunReport
        do {
            report = try await Reconciler(configuration: configuration, manifests: manifests,
                                          requests: backends.requests, alerts: backends.alerts).run(mode)
        } catch {
            await close()
            throw error
        }
        await close()
        write(try Reconciler.render(report, format: configuration.format))
        return report.exitStatus(detailedExitCode: detailedExitCode)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
