import AccessReconciler
import ArgumentParser

/// `apply`: carries the plan out and reports each action's outcome.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create and close alerts and approve on-call requests until both sides agree."
    )

    @OptionGroup var options: SharedOptions

    func run() async throws {
        CommandRunner.bootstrapLogging(level: options.logLevel)
        try await CommandRunner.run {
            let configuration = try options.resolveConfiguration()
            let manifests = try CommandRunner.loadManifests(configuration)
            let backends = try BackendConnector.connect(configuration)
            let report = try await Reconciler(configuration: configuration, manifests: manifests,
                                              requests: backends.requests, alerts: backends.alerts).run(.apply)
            CommandRunner.write(try Reconciler.render(report, format: configuration.format))
            return report.exitStatus(detailedExitCode: false)
        }
    }
}
