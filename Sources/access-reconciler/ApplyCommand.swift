import AccessReconciler
import ArgumentParser

/// `apply`: carries the plan out and reports each action's outcome.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create and close alerts and approve on-call requests until both sides agree."
    )

    @OptionGroup var options: SharedOptions

    @Option(name: .long, help: ArgumentHelp("Refuse a plan with more than N writes, changing nothing. Env: ACCESS_RECONCILER_MAX_CHANGES.", valueName: "N"))
    var maxChanges: Int?

    func run() async throws {
        CommandRunner.bootstrapLogging(level: options.logLevel)
        try await CommandRunner.run {
            var options = options
            options.maxChanges = maxChanges
            return try await CommandRunner.reconcile(.apply, options: options, detailedExitCode: false)
        }
    }
}
