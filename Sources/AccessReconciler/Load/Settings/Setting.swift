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
