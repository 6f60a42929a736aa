import AccessReconciler
import ArgumentParser

/// `apply`: carries the plan out and reports each action's outcome.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create and close alerts and approve on-call requests until both sides agree."
    )

    @OptionGroup var options: SharedOptions

    @Option(help: .setting("--max-changes"))
    var maxChanges: String?

    func run() async throws {
        CommandRunner.bootstrapLogging(level: options.logLevel)
        try await CommandRunner.run {
            var options = options
            if let maxChanges { options.commandFlags["--max-changes"] = [maxChanges] }
            return try await CommandRunner.reconcile(.apply, options: options, detailedExitCode: false)
        }
    }
}
