import AccessReconciler
import ArgumentParser
import Foundation
import TeleportClient

/// `check`: a read-only preflight against the configured Teleport and alert service. It prints a
/// checklist (✓ holds, ✗ fails with the fix, ? cannot be decided without writing) and exits 1
/// when any line is ✗. It writes nothing to either side and takes the run lock only to release it.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check, with reads only, that the job can do its work against this Teleport and alert service.",
        discussion: SharedOptions.discussion("Exit codes: 0 when nothing failed (? lines do not fail), 1 when a check failed or the settings are invalid.")
    )

    @OptionGroup var options: SharedOptions

    func run() async throws {
        try await CommandRunner.run(options: options, publishMetrics: false) { context in
            let settings = context.settings
            let configuration = settings.core
            let manifests = try RunSetup.load(configuration, alertBackend: settings.backend).manifests
            let teleport: Result<TeleportAccessRequests, any Error> = Result {
                try TeleportAccessRequests(configuration: try settings.teleport.configuration())
            }
            let alerts: Result<any AlertServicePreflight, any Error>
            do {
                alerts = .success(try await BackendConnector.alertBackend(settings))
            } catch {
                alerts = .failure(error)
            }
            let preflight = Preflight(
                configuration: configuration, manifests: manifests, teleport: teleport.map { $0 as any TeleportPreflight }, alerts: alerts,
                alertServiceName: settings.backend.serviceName,
                lockPath: try configuration.lockFile ?? RunLock.defaultPath(teleportAddress: settings.teleport.address),
                metricsFile: settings.monitoring.metricsFile, settings: RunSettings.catalog)
            let report = await preflight.run(runID: context.runID)
            if case let .success(client) = teleport { await client.close(grace: .seconds(2)) }
            switch configuration.format {
            case .text: CommandRunner.write(report.text())
            case .json: CommandRunner.write(try report.jsonData())
            }
            return CommandRunner.Ending(report.exitStatus)
        }
    }
}
