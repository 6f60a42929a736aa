/// What a user sees of one setting: its flag, environment variable and file key, its default and
/// whether it is a secret. Help texts, the file reader, the environment reader, error sources and
/// the README's table all come from these declarations, so a setting is spelled out once.
public struct SettingDeclaration: Sendable, Hashable {
    /// How a user gives this setting, for messages (`--teleport-addr or TELEPORT_ADDR`): its flag
    /// and variable as declared, so that no message spells them by hand.
    public var howToSet: String {
        [flag, environment].compactMap { $0 }.joined(separator: " or ")
    }

    /// A typed default as the table shows it (`` `9m` ``): rendered from the value the setting
    /// starts from, so that the table and the code cannot disagree.
    public static func shown(_ value: some CustomStringConvertible) -> String { "`\(value)`" }

    /// How the value is written.
    public enum Shape: Sendable, Hashable {
        /// One value.
        case value
        /// A list: a repeatable flag, a comma-separated variable, a YAML sequence.
        case list
        /// A file or folder; relative paths in the configuration file are taken from its folder.
        case path
        /// true or false.
        case toggle
    }

    /// The configuration-file key, dotted (`alerting.priority`); also the setting's identity.
    public var key: String
    /// `--priority`; nil when the setting has no flag.
    public var flag: String?
    /// `ACCESS_RECONCILER_PRIORITY`; nil when the setting has no variable.
    public var environment: String?
    /// Whether the key may appear in the configuration file. Secrets may not.
    public var inFile: Bool
    public var shape: Shape
    /// A secret's value is never printed: not in help, errors, logs or reports.
    public var secret: Bool
    /// The placeholder in help and in the README (`P1..P5`, `FILE`).
    public var valueName: String
    /// The default as the README states it; empty when there is none.
    public var defaultDescription: String
    /// One sentence for `--help` and the README.
    public var help: String

    public init(key: String, flag: String? = nil, environment: String? = nil, inFile: Bool = true, shape: Shape = .value,
                secret: Bool = false, valueName: String = "VALUE", default defaultDescription: String = "", help: String) {
        self.key = key
        self.flag = flag
        self.environment = environment
        self.inFile = inFile
        self.shape = shape
        self.secret = secret
        self.valueName = valueName
        self.defaultDescription = defaultDescription
        self.help = help
    }
}

/// An older name of a setting, still read so that existing files and environments keep working,
/// with a warning that names the new one.
public struct SettingAlias: Sendable, Hashable {
    /// The setting it now feeds.
    public var key: String
    public var oldKey: String?
    public var oldEnvironment: String?

    public init(key: String, oldKey: String? = nil, oldEnvironment: String? = nil) {
        self.key = key
        self.oldKey = oldKey
        self.oldEnvironment = oldEnvironment
    }
}

/// A file key that must never hold a value (an API key), with the message that says where it goes.
public struct RefusedFileKey: Sendable, Hashable {
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}
