import AccessReconciler
import ArgumentParser

/// `apply`: carries the plan out and reports each action's outcome. With `--plan`, only the writes
/// of a plan saved by `plan --out` that a fresh look still plans.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create and close alerts and approve on-call requests until both sides agree.",
        discussion: SharedOptions.discussion()
    )

    @OptionGroup var options: SharedOptions

    @Option(name: .long, help: ArgumentHelp("""
        Carry out only this saved plan (`plan --out`): each action only if a fresh look still plans it \
        (stale ones are skipped and reported), never one the plan does not hold. Refused when it is of \
        another cluster or backend, or older than --plan-max-age.
        """, valueName: "file"))
    var plan: String?

    @Flag(name: .long, help: "With --plan: exit 2 when differences the plan did not hold remain (0 otherwise, 1 on error).")
    var detailedExitcode = false

    func validate() throws {
        if detailedExitcode && plan == nil {
            throw ValidationError("--detailed-exitcode is for `apply --plan` (and `plan`); plain `apply` exits 1 when writes remain")
        }
    }

    func run() async throws {
        try await CommandRunner.run(options: options) { context in
            try await CommandRunner.reconcile(.apply, context: &context, detailedExitCode: detailedExitcode, savedPlan: plan)
        }
    }
}
