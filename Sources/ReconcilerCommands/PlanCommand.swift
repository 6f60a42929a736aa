import AccessReconciler
import ArgumentParser

/// `plan`: shows what `apply` would change; writes nothing to either side. `--out` saves the plan
/// for `apply --plan`.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the alerts to create or close and the requests to approve, without changing anything.",
        discussion: SharedOptions.discussion()
    )

    @OptionGroup var options: SharedOptions

    @Flag(name: .long, help: "Exit 2 when there is something to change or drift (0 when in sync, 1 on error).")
    var detailedExitcode = false

    @Option(name: .long, help: ArgumentHelp("Also save the plan to this file (versioned JSON), for `apply --plan` after a review.", valueName: "file"))
    var out: String?

    func run() async throws {
        try await CommandRunner.run(options: options) { context in
            try await CommandRunner.reconcile(.plan, context: &context, detailedExitCode: detailedExitcode, saveTo: out)
        }
    }
}
