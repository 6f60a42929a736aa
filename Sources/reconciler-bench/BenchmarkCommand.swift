import ArgumentParser
import ReconcilerTesting

/// `reconciler-bench`: what a run of the job costs as the work grows (`measure`, the default), and
/// the fakes it measures against, served from a process of their own (`serve-fakes`).
@main
struct BenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler-bench",
        abstract: "Measure catch-ups, steady-state runs and throttled runs against the fakes, and the planner alone.",
        subcommands: [MeasureCommand.self, FakesCommand.self],
        defaultSubcommand: MeasureCommand.self
    )
}

extension SandboxBackend: ExpressibleByArgument {}
