import AccessReconciler
import ArgumentParser

/// `plan`: shows what `apply` would change; writes nothing to either side.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the alerts to create or close and the requests to approve, without changing anything."
    )

    @OptionGroup var options: SharedOptions

    @Flag(name: .long, help: "Exit 2 when there is something to change or drift (0 when in sync, 1 on error).")
    var detailedExitcode = false

    func run() async throws {
        CommandRunner.bootstrapLogging(level: options.logLevel)
        try await CommandRunner.run {
            try await CommandRunner.reconcile(.plan, options: options, detailedExitCode: detailedExitcode)
        }
    }
}
