import Foundation

/// Every setting of the job, as the command layer puts them together from the modules that own
/// them, and the readers that turn flags, the environment and the configuration file into layers.
public struct SettingsCatalog: Sendable {
    /// The variable naming the configuration file when `--config` is not given.
    public static let configFileVariable = "ACCESS_RECONCILER_CONFIG"

    public var declarations: [SettingDeclaration]
    public var aliases: [SettingAlias]
    public var refusedFileKeys: [RefusedFileKey]

    public init(declarations: [SettingDeclaration], aliases: [SettingAlias] = [], refusedFileKeys: [RefusedFileKey] = []) {
        self.declarations = declarations
        self.aliases = aliases
        self.refusedFileKeys = refusedFileKeys
    }

    public func declaration(_ key: String) -> SettingDeclaration? { declarations.first { $0.key == key } }

    public func declaration(flag: String) -> SettingDeclaration? { declarations.first { $0.flag == flag } }

    /// How a user gives the setting `key`, for messages: its flag, or its variable when it has
    /// none. A key none declares stops a debug build, and a release build names the key itself.
    public func flag(_ key: String) -> String {
        guard let declaration = declaration(key) else {
            assertionFailure("no setting is declared with the key \(key)")
            return key
        }
        return declaration.flag ?? declaration.environment ?? key
    }

    // MARK: Flags

    /// The flag layer from what the command line gave, by flag (`--priority` → texts). Empty lists
    /// (a repeatable flag not given) count as unset.
    public func flagLayer(_ given: [String: [String]]) -> SettingLayer {
        var layer = SettingLayer()
        for declaration in declarations {
            guard let flag = declaration.flag, let texts = given[flag], !texts.isEmpty else { continue }
            layer.values[declaration.key] = SettingValue(texts: texts, source: flag)
        }
        return layer
    }

    // MARK: Environment

    /// The environment layer. Empty variables count as unset; lists are comma-separated.
    public func environmentLayer(_ environment: [String: String]) -> SettingLayer {
        var layer = SettingLayer()
        func read(_ name: String, _ declaration: SettingDeclaration) -> SettingValue? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard declaration.shape == .list else { return SettingValue(text, source: name) }
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return SettingValue(texts: items, source: name)
        }
        for declaration in declarations {
            if let name = declaration.environment, let value = read(name, declaration) { layer.values[declaration.key] = value }
        }
        for alias in aliases {
            guard let old = alias.oldEnvironment, let declaration = self.declaration(alias.key), let value = read(old, declaration) else { continue }
            let current = declaration.environment ?? alias.key
            layer.warnings.append("\(old) is deprecated: use \(current)")
            if layer.values[alias.key] == nil { layer.values[alias.key] = value }
        }
        return layer
    }

    // MARK: The configuration file

    /// The file layer. Unknown keys are errors (a typo must not fall back to a default silently),
    /// with the file, line and key; so is a secret. Relative paths are taken from the file's folder.
    public func fileLayer(path: String) throws -> SettingLayer {
        let documents = try YAMLDocumentReader.read(file: path)
        guard documents.count <= 1 else {
            throw ConfigurationError.invalid(source: path, problem: "expected one YAML document, found \(documents.count)")
        }
        guard let root = documents.first?.root, !root.isNull else { return SettingLayer() }
        documents[0].describe(as: "")
        return try fileLayer(root: root, directory: (path as NSString).deletingLastPathComponent)
    }

    func fileLayer(root: YAMLValue, directory: String) throws -> SettingLayer {
        var byKey: [String: SettingDeclaration] = [:]
        for declaration in declarations where declaration.inFile { byKey[declaration.key] = declaration }
        var oldKeys: [String: SettingAlias] = [:]
        for alias in aliases { if let old = alias.oldKey { oldKeys[old] = alias } }
        let refused = Dictionary(refusedFileKeys.map { ($0.key, $0.message) }, uniquingKeysWith: { first, _ in first })
        let leaves = Set(byKey.keys).union(oldKeys.keys).union(refused.keys)

        var layer = SettingLayer()
        var fromOldKeys: [(String, SettingValue)] = []
        func walk(_ mapping: YAMLValue, prefix: String) throws {
            let entries = try mapping.mapping()
            for (name, value) in entries {
                if let message = refused[prefix + name] { throw value.invalid(message) }
            }
            let allowed = Set(leaves.compactMap { key -> String? in
                guard key.hasPrefix(prefix) else { return nil }
                return String(key.dropFirst(prefix.count).split(separator: ".", maxSplits: 1)[0])
            })
            try mapping.requireOnlyKeys(allowed)
            for (name, value) in entries {
                let key = prefix + name
                if let declaration = byKey[key] {
                    layer.values[key] = try read(value, as: declaration.shape, directory: directory)
                } else if let alias = oldKeys[key], let declaration = byKey[alias.key] {
                    layer.warnings.append("\(value.location): \(key) is deprecated: use \(alias.key)")
                    fromOldKeys.append((alias.key, try read(value, as: declaration.shape, directory: directory)))
                } else {
                    try walk(value, prefix: key + ".")
                }
            }
        }
        try walk(root, prefix: "")
        for (key, value) in fromOldKeys where layer.values[key] == nil { layer.values[key] = value }
        return layer
    }

    private func read(_ value: YAMLValue, as shape: SettingDeclaration.Shape, directory: String) throws -> SettingValue {
        let source = "\(value.location) (\(value.path))"
        switch shape {
        case .value:
            return SettingValue(try value.scalarText(), source: source)
        case .toggle:
            return SettingValue(try value.bool() ? "true" : "false", source: source)
        case .list:
            return SettingValue(texts: try value.sequence().map { try $0.scalarText() }, source: source)
        case .path:
            var text = try value.string()
            if !text.hasPrefix("/") && !directory.isEmpty { text = (directory as NSString).appendingPathComponent(text) }
            return SettingValue(text, source: source)
        }
    }
}
