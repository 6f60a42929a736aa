import AccessReconciler
import ArgumentParser
import Foundation
import Logging
import OpsgenieClient
import ReconcilerMonitoring

/// Shared steps of the commands: settings, the log in its format, turning library errors into one
/// message and exit code 1, and the run's metrics at exit.
public enum CommandRunner {
    /// What a command's body works with.
    struct Context {
        var settings: RunSettings
        let runID: String
    }

    /// How a command's body ended: its exit code, and its report when it got that far.
    struct Ending {
        var exitCode: Int32
        var report: RunReport?

        init(_ status: ExitStatus, report: RunReport? = nil) {
            exitCode = status.rawValue
            self.report = report
        }

        init(exitCode: Int32, report: RunReport?) {
            self.exitCode = exitCode
            self.report = report
        }
    }

    /// Resolves the settings, starts the log, runs `body`, and writes and pushes the metrics when
    /// they are configured (`publishMetrics`), whether the body succeeded or not. An error is one
    /// line on standard error (a JSON line with `--log-format json`) and exit code 1.
    static func run(options: SharedOptions, publishMetrics: Bool = true, _ body: (inout Context) async throws -> Ending) async throws {
        MallocArenas.limit()
        let started = Date()
        let runID = LogOutput.newRunID()
        var context: Context
        do {
            context = Context(settings: try options.resolveSettings(), runID: runID)
        } catch {
            // The format the settings would have named is not known: take the flag's or the variable's.
            let catalog = RunSettings.catalog
            let format = ((try? options.flagValues).map(catalog.flagLayer) ?? SettingLayer()).values[MonitoringSettings.logFormatKey]?.text
                ?? catalog.environmentLayer(ProcessInfo.processInfo.environment).values[MonitoringSettings.logFormatKey]?.text
            LogOutput.bootstrap(format: format == "json" ? .json : .text, level: "warning", runID: runID)
            LogOutput.say(.error, "\(error)")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        let monitoring = context.settings.monitoring
        LogOutput.bootstrap(format: monitoring.logFormat, level: monitoring.logLevel, runID: runID)
        for warning in context.settings.warnings { LogOutput.say(.warning, warning) }
        var ending: Ending
        do {
            ending = try await body(&context)
        } catch let error as ExitCode {
            ending = Ending(exitCode: error.rawValue, report: nil)
        } catch {
            LogOutput.say(.error, "\(error)")
            ending = Ending(.failure)
        }
        if publishMetrics {
            await publish(ending, settings: context.settings, started: started)
        }
        if ending.exitCode != 0 { throw ExitCode(ending.exitCode) }
    }

    /// Writes the metrics file and pushes to the Pushgateway, as configured. A failure to do so is
    /// said on standard error; it does not change the run's exit code, which tells of the work.
    static func publish(_ ending: Ending, settings: RunSettings, started: Date) async {
        let monitoring = settings.monitoring
        guard monitoring.metricsFile != nil || monitoring.pushgatewayURL != nil else { return }
        let file = monitoring.metricsFile.map(MetricsFile.init(path:))
        let earlier: (lastSuccess: Date?, cluster: String?) = file?.readBack() ?? (nil, nil)
        let cluster = ending.report?.finalPlan.cluster ?? settings.teleport.cluster ?? earlier.cluster ?? "unknown"
        let text = RunMetrics(.init(cluster: cluster, startedAt: started, finishedAt: Date(), exitCode: ending.exitCode, report: ending.report,
                                    previousSuccess: earlier.lastSuccess, version: BuildInfo.version, commit: BuildInfo.commit)).text()
        if let file {
            do {
                try file.write(text)
            } catch {
                LogOutput.say(.error, "metrics not written: \(error)")
            }
        }
        if let url = monitoring.pushgatewayURL {
            do {
                try await Pushgateway(baseURL: url).push(text, cluster: cluster)
            } catch {
                LogOutput.say(.error, "metrics not pushed to the Pushgateway: \(error)")
            }
        }
    }

    /// Writes to standard output.
    public static func write(_ text: String) {
        write(Data(text.utf8))
    }

    /// Writes to standard output. A reader that has gone (`plan | head`) ends the output quietly:
    /// where SIGPIPE is ignored (it is in runs that open connections), Foundation's non-throwing
    /// write traps on the EPIPE that follows. The run's work and exit status stand; the rest of
    /// the output has nowhere to go. Any other failure (a full disk behind a redirect) is said on
    /// standard error. False when the data could not be written.
    @discardableResult
    static func write(_ data: Data) -> Bool {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
            return true
        } catch {
            if Self.isBrokenPipe(error) { return false }
            LogOutput.say(.error, "standard output could not be written (the run's writes and exit code are not affected): \(error)")
            return false
        }
    }

    private static func isBrokenPipe(_ error: Error) -> Bool {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain && error.code == Int(EPIPE) { return true }
        return (error.userInfo[NSUnderlyingErrorKey] as? Error).map(isBrokenPipe) ?? false
    }

    /// load → observe → plan → (apply) → report, against the configured Teleport and alert backend.
    /// `apply` first takes the run lock. At its deadline or on SIGTERM the run starts no more
    /// writes; `RunGuardian` cuts reads in flight at once and writes in flight after a few seconds
    /// (the run then reports what was done, or, cut while reading, says so and exits 1), and ends
    /// the process if even that does not end it. `saveTo`: `plan --out`; `savedPlan`: `apply --plan`.
    static func reconcile(_ mode: RunReport.Mode, context: inout Context, detailedExitCode: Bool,
                          saveTo: String? = nil, savedPlan: String? = nil) async throws -> Ending {
        let backend = context.settings.backend
        // Manifests and a saved plan are read and checked before anything is connected or locked.
        let setup = try RunSetup.load(context.settings.core, alertBackend: backend, savedPlan: savedPlan)
        warnOfUnevaluatedRules(setup.manifests, backend: backend)
        let lock = mode == .apply
            ? try RunLock(path: context.settings.core.lockFile ?? RunLock.defaultPath(teleportAddress: context.settings.teleport.address),
                          runID: context.runID)
            : nil
        let stop = RunStop()
        let guardian = RunGuardian(stop: stop, timeout: context.settings.core.timeout,
                                   teleportAddress: context.settings.teleport.address ?? "")
        // Connecting and the run are one task, which the guardian cuts at the deadline or on SIGTERM.
        let work = Task { [settings = context.settings] () async throws -> RunReport in
            do {
                var setup = setup
                let (backends, close) = try await BackendConnector.connect(settings, into: &setup)
                let report: Result<RunReport, any Error>
                do {
                    report = .success(try await Reconciler(setup: setup, requests: backends.requests, alerts: backends.alerts).run(mode, stop: stop))
                } catch {
                    report = .failure(error)
                }
                // A stopped run does not wait for a connection that never came up.
                await close(stop.reason == nil ? .seconds(5) : .milliseconds(300))
                return try report.get()
            } catch where Task.isCancelled {
                throw RunCut(reason: stop.reason ?? "the run was stopped", phase: stop.phase)
            }
        }
        guardian.start(cut: { work.cancel() })
        defer { guardian.cancel() }
        let report: RunReport
        do {
            report = try await work.value
        } catch let cut as RunCut {
            LogOutput.say(.error, cut.description)
            return Ending(exitCode: guardian.terminated ? 143 : ExitStatus.failure.rawValue, report: nil)
        }
        let configuration = context.settings.core
        withExtendedLifetime(lock) {}
        if let saveTo {
            try SavedPlan(report.plan, alertBackend: backend).write(to: saveTo)
        }
        // Piece by piece; once a piece could not be written, the rest is dropped (said once).
        var written = true
        try Reconciler.render(report, format: configuration.format) { piece in
            if written { written = write(piece) }
        }
        if guardian.terminated { return Ending(exitCode: 143, report: report) }
        return Ending(report.exitStatus(detailedExitCode: detailedExitCode), report: report)
    }

    /// Access Monitoring Rules that Teleport's Opsgenie plugin follows are read but not evaluated
    /// yet: a request they cover may be given other schedules than the plugin gives it, and the
    /// plugin's alerts may be reported as drift. Said before the run, so that nobody trusts that
    /// difference unwarned.
    static func warnOfUnevaluatedRules(_ manifests: ManifestSet, backend: AlertBackendID) {
        guard backend == .opsgenie else { return }
        let rules = manifests.accessMonitoringRules.values.filter { $0.notifies(plugin: OpsgenieAlertBackend.teleportPluginName) }.map(\.name).sorted()
        guard !rules.isEmpty else { return }
        LogOutput.say(.warning, "the manifests hold access monitoring rules for Teleport's Opsgenie plugin (\(rules.joined(separator: ", "))), "
            + "which the job does not evaluate yet: it routes by the roles' annotations, so a request a rule covers may get other schedules than the plugin gives it")
    }
}
