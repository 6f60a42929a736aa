import Foundation

/// Loads role and user manifests from a file or a directory tree of `*.yaml` / `*.yml` files.
public struct ManifestLoader: Sendable {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = .default) {
        self.limits = limits
    }

    /// Reads every manifest below `path`. All problems are collected and thrown together as
    /// `ManifestErrors`; nothing is returned unless every file is valid.
    public func load(path: String) throws -> ManifestSet {
        let files = try Self.manifestFiles(at: path)
        var errors: [YAMLInputError] = []
        var roles: [Role] = []
        var users: [User] = []
        var rules: [AccessMonitoringRule] = []
        var ruleSources: [String: SourceLocation] = [:]
        var skipped: [String: Int] = [:]
        var roleSources: [String: SourceLocation] = [:]
        var userSources: [String: SourceLocation] = [:]
        for file in files {
            let documents: [YAMLDocument]
            do {
                documents = try YAMLDocumentReader.read(file: file, limits: limits)
            } catch let error as YAMLInputError {
                errors.append(error)
                continue
            }
            for document in documents {
                do {
                    switch try ManifestDecoder.decode(document) {
                    case let .role(role)?:
                        if let duplicate = Self.duplicate("role", role.name, at: role.source, in: &roleSources) {
                            errors.append(duplicate)
                        } else {
                            roles.append(role)
                        }
                    case let .user(user)?:
                        if let duplicate = Self.duplicate("user", user.name, at: user.source, in: &userSources) {
                            errors.append(duplicate)
                        } else {
                            users.append(user)
                        }
                    case let .accessMonitoringRule(rule)?:
                        if let duplicate = Self.duplicate("access_monitoring_rule", rule.name, at: rule.source, in: &ruleSources) {
                            errors.append(duplicate)
                        } else {
                            rules.append(rule)
                        }
                    case let .other(kind)?:
                        skipped[kind, default: 0] += 1
                    case nil:
                        break
                    }
                } catch let error as YAMLInputError {
                    errors.append(error)
                }
            }
        }
        if !errors.isEmpty { throw ManifestErrors(errors: errors) }
        return ManifestSet(roles: roles, users: users, accessMonitoringRules: rules, skippedKinds: skipped, files: files)
    }

    /// The error for a resource defined a second time, or nil (and the place recorded) the first time.
    private static func duplicate(_ kind: String, _ name: String, at source: SourceLocation,
                                  in sources: inout [String: SourceLocation]) -> YAMLInputError? {
        if let first = sources[name] {
            return .invalidValue(source, resource: "\(kind) \"\(name)\"", path: "metadata.name",
                                 problem: "the \(kind) is defined twice; first at \(first)")
        }
        sources[name] = source
        return nil
    }

    /// The manifest files at `path`: the file itself, or every `*.yaml`/`*.yml` below the directory,
    /// in a stable order. Entries whose names begin with a dot are skipped, with what is below them:
    /// a Kubernetes ConfigMap mounted as a folder keeps a hidden `..<timestamp>/` copy of each file
    /// and a `..data` link beside the visible links, and reading those would define every role twice.
    public static func manifestFiles(at path: String) throws -> [String] {
        switch FileKind(path) {
        case .missing:
            throw ManifestErrors(errors: [.unreadable(file: path, reason: "no such file or directory")])
        case .directory:
            break
        case .regular:
            return [path]
        case let .unusable(reason):
            throw ManifestErrors(errors: [.unreadable(file: path, reason: reason)])
        }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw ManifestErrors(errors: [.unreadable(file: path, reason: "cannot list the directory")])
        }
        var files: [String] = []
        var problems: [YAMLInputError] = []
        while let relative = enumerator.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            switch FileKind(full) {
            case .regular: files.append(full)
            case .directory: continue
            case .missing: problems.append(.unreadable(file: full, reason: "no such file"))
            case let .unusable(reason): problems.append(.unreadable(file: full, reason: reason))
            }
        }
        if !problems.isEmpty { throw ManifestErrors(errors: problems) }
        return files.sorted()
    }
}
