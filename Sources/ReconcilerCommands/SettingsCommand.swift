import AccessReconciler
import ArgumentParser

/// `settings`: every setting with its flag, variable, file key and default, as the README's table
/// (which is made from this output).
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print every setting: flag, environment variable, file key and default (Markdown)."
    )

    func run() throws {
        CommandRunner.write(RunSettings.catalog.markdownTable())
    }
}
