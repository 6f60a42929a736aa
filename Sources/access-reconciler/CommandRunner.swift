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

    /// The run's settings; a deprecated name used is reported on standard error.
    static func settings(_ options: SharedOptions) throws -> RunSettings {
        let settings = try options.resolveSettings()
        for warning in settings.warnings {
            FileHandle.standardError.write(Data("access-reconciler: warning: \(warning)\n".utf8))
        }
        return settings
    }

    /// load → observe → plan → (apply) → report, against the configured Teleport and alert backend.
    /// `apply` first takes the run lock. The run stops starting writes at its deadline or on
    /// SIGTERM, lets writes in flight finish and reports; a watchdog ends a run that cannot report
    /// within a grace period after that.
    static func reconcile(_ mode: RunReport.Mode, options: SharedOptions, detailedExitCode: Bool) async throws -> ExitStatus {
        var settings = try settings(options)
        let manifests = try loadManifests(settings.core)
        let runID = String(UUID().uuidString.prefix(8)).lowercased()
        let lock = mode == .apply
            ? try RunLock(path: settings.core.lockFile ?? RunLock.defaultPath(teleportAddress: settings.core.teleportAddress), runID: runID)
            : nil
        let (backends, close) = try await BackendConnector.connect(&settings)
        let configuration = settings.core
        let stop = RunStop()
        let guardian = RunGuardian(stop: stop, timeout: configuration.timeout, teleportAddress: configuration.teleportAddress ?? "")
        guardian.start()
        defer { guardian.cancel() }
        let report: RunReport
        do {
            report = try await Reconciler(configuration: configuration, manifests: manifests,
                                          requests: backends.requests, alerts: backends.alerts).run(mode, stop: stop)
        } catch {
            await close()
            throw error
        }
        await close()
        withExtendedLifetime(lock) {}
        write(try Reconciler.render(report, format: configuration.format))
        if guardian.terminated { throw ExitCode(143) }
        return report.exitStatus(detailedExitCode: detailedExitCode)
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
