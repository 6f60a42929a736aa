/// The values one source gave (flags, the environment or the configuration file), by setting key,
/// and the warnings reading it produced (a deprecated name was used).
public struct SettingLayer: Sendable, Equatable {
    public var values: [String: SettingValue]
    public var warnings: [String]

    public init(values: [String: SettingValue] = [:], warnings: [String] = []) {
        self.values = values
        self.warnings = warnings
    }
}

/// The three layers of one run, in order of precedence: a flag wins over the environment, which
/// wins over the file.
public struct SettingLayers: Sendable {
    public var flags: SettingLayer
    public var environment: SettingLayer
    public var file: SettingLayer

    public init(flags: SettingLayer = SettingLayer(), environment: SettingLayer = SettingLayer(), file: SettingLayer = SettingLayer()) {
        self.flags = flags
        self.environment = environment
        self.file = file
    }

    /// The value that counts for `key`, if any layer gives one.
    public func value(_ key: String) -> SettingValue? {
        flags.values[key] ?? environment.values[key] ?? file.values[key]
    }

    public var warnings: [String] { flags.warnings + environment.warnings + file.warnings }

    /// `target` with every setting that a layer gives applied; the first bad value throws, naming
    /// its source.
    public func resolve<Target>(_ settings: [Setting<Target>], into target: Target) throws -> Target {
        var result = target
        for setting in settings {
            if let value = value(setting.key) { try setting.apply(&result, value) }
        }
        return result
    }
}
