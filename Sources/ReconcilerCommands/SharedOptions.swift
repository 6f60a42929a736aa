import AccessReconciler
import ArgumentParser
import Foundation

/// Options every command that talks to Teleport shares: the configuration file, and every setting
/// of `RunSettings.catalog` as a flag. The settings are not declared again here: the parser hands
/// over what it does not know, `SettingFlags` reads it against the catalog, and each command's
/// help lists the settings from the same declarations.
struct SharedOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML). Env: \(SettingsCatalog.configFileVariable).", valueName: "file"))
    var config: String?

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Any setting: --name value or --name=value (SETTINGS above).", valueName: "setting"))
    var settingArguments: [String] = []

    /// How the settings' flags are read, and the SETTINGS section of the commands' help.
    static let settingFlags = SettingFlags(catalog: RunSettings.catalog)

    /// A command's help: its own text, then the SETTINGS section. Rendered once; the parser asks
    /// for a command's configuration each time it parses.
    static func discussion(_ text: String = "") -> String {
        (text.isEmpty ? "" : text + "\n\n") + settingsHelp
    }

    private static let settingsHelp = settingFlags.help()

    /// The settings flags given, by flag name (`--priority` → its value).
    var flagValues: [String: [String]] {
        get throws { try Self.settingFlags.parse(settingArguments) }
    }

    /// A flag the catalog does not know, or without its value, is a usage error (exit 64, with the
    /// usage). A flag with a value no setting takes is refused before anything is read or
    /// connected, as the same value in the environment or the file is: exit 1, naming the setting.
    /// (The argument parser prints an error of another type than its own as it is, without the
    /// usage, and exits 1.)
    func validate() throws {
        try RunSettings.check(RunSettings.catalog.flagLayer(flagValues))
    }

    /// Combines flags, environment and the configuration file.
    func resolveSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RunSettings {
        try RunSettings.resolve(flags: flagValues, configFile: config, environment: environment)
    }
}
