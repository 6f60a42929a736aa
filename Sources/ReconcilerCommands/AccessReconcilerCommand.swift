import AccessReconciler
import ArgumentParser

/// `access-reconciler`: keeps Teleport Access Requests and on-call alerts in agreement. The
/// executable's `main` runs it; the sandbox is an executable of its own (`reconciler-sandbox`), so
/// that no fake service ships in this one.
public struct AccessReconcilerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "access-reconciler",
        abstract: "Keep Teleport Access Requests and on-call alerts (Opsgenie or JSM Operations) in agreement.",
        discussion: """
        Exit codes: 0 in sync or applied; 2 plan --detailed-exitcode found changes; 1 error (an invalid setting value too); 64 an unknown option or a missing value; 143 SIGTERM.
        Settings come from flags, then environment variables, then the configuration file, then defaults.
        """,
        version: BuildInfo.description,
        subcommands: [PlanCommand.self, ApplyCommand.self, CheckCommand.self, ValidateCommand.self, SettingsCommand.self, SandboxPointerCommand.self]
    )

    public init() {}
}
