/// A declared setting and how its value lands in the typed configuration `Target`. Each module
/// declares its own (`ReconcilerSettings` here, the alert backends theirs); the command layer puts
/// them together in one catalog.
public struct Setting<Target>: Sendable {
    public let declaration: SettingDeclaration
    let apply: @Sendable (inout Target, SettingValue) throws -> Void

    public init(_ declaration: SettingDeclaration, apply: @escaping @Sendable (inout Target, SettingValue) throws -> Void) {
        self.declaration = declaration
        self.apply = apply
    }

    public var key: String { declaration.key }
}

/// A value as given, with where it was given (`--priority`, `ACCESS_RECONCILER_PRIORITY`,
/// `config.yaml:12:3 (alerting.priority)`), so that an error can name its source.
public struct SettingValue: Sendable, Equatable {
    /// One text for a single value, one per item for a list.
    public var texts: [String]
    public var source: String

    public init(_ text: String, source: String) {
        self.init(texts: [text], source: source)
    }

    public init(texts: [String], source: String) {
        self.texts = texts
        self.source = source
    }

    public var text: String { texts.first ?? "" }

    /// An error about this value.
    public func invalid(_ problem: String) -> ConfigurationError {
        .invalid(source: source, problem: problem)
    }
}

extension Array {
    /// How a user gives the setting `key` of these, for messages: its flag, or its variable when it
    /// has no flag.
    public func flag<Target>(_ key: String) -> String where Element == Setting<Target> {
        guard let declaration = declared(key) else { return key }
        return declaration.flag ?? declaration.environment ?? key
    }

    /// The variable of the setting `key` of these.
    public func variable<Target>(_ key: String) -> String where Element == Setting<Target> {
        declared(key).flatMap(\.environment) ?? key
    }

    /// Its flag and variable (`--teleport-addr or TELEPORT_ADDR`).
    public func howToSet<Target>(_ key: String) -> String where Element == Setting<Target> {
        declared(key)?.howToSet ?? key
    }

    /// The declaration of `key`. A key none declares stops a debug build (the tests that produce
    /// each message), and a release build names the key itself.
    private func declared<Target>(_ key: String) -> SettingDeclaration? where Element == Setting<Target> {
        guard let setting = first(where: { $0.key == key }) else {
            assertionFailure("no setting is declared with the key \(key)")
            return nil
        }
        return setting.declaration
    }
}
