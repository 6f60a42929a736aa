import Foundation
import Yams

/// A YAML node together with its file, field path and a shared node budget.
///
/// Decoders walk manifests and the configuration file through this type only, so that every type
/// error names `file:line`, the resource and the field path, and so that alias expansion is bounded.
public struct YAMLValue {
    let node: Node
    /// Field path from the document root, e.g. `spec.allow.request.roles[1]`.
    public let path: String
    let context: YAMLDecodingContext

    init(node: Node, path: String, context: YAMLDecodingContext) throws {
        self.node = node
        self.path = path
        self.context = context
        try context.count(at: node)
    }

    /// Where this value starts.
    public var location: SourceLocation { context.location(of: node) }

    /// Whether the value is absent in YAML terms (`~`, `null` or empty).
    public var isNull: Bool {
        if case let .scalar(scalar) = node { return scalar.style == .plain && tagName == .null }
        return false
    }

    /// An error at this value, naming the resource and field.
    public func invalid(_ problem: String) -> YAMLInputError {
        .invalidValue(location, resource: context.resource, path: path.isEmpty ? "(document)" : path, problem: problem)
    }

    // MARK: Scalars

    /// The value as a string. Numbers and booleans are refused, as Teleport's decoder refuses them
    /// for string fields: quote them.
    public func string() throws -> String {
        guard case let .scalar(scalar) = node else { throw invalid("expected a string, found \(kindName)") }
        switch tagName {
        case .str: return scalar.string
        case .null where scalar.style != .plain: return scalar.string
        default: throw invalid("expected a string, found \(kindName) `\(scalar.string)`; put it in quotes if it is meant as text")
        }
    }

    /// The value as a whole number.
    /// A scalar's text as written, whatever its resolved type (`200`, `true`, `P2`); for settings,
    /// which check the text themselves and name the key when it is wrong.
    public func scalarText() throws -> String {
        guard case let .scalar(scalar) = node, tagName != .null || scalar.style != .plain else {
            throw invalid("expected a value, found \(kindName)")
        }
        return scalar.string
    }

    public func int() throws -> Int {
        guard case let .scalar(scalar) = node, tagName == .int || tagName == .str,
              let value = Int(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            throw invalid("expected a whole number, found \(describeForError)")
        }
        return value
    }

    /// The value as a number (whole or decimal).
    public func number() throws -> Double {
        guard case let .scalar(scalar) = node, [.int, .float, .str].contains(tagName),
              let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")) else {
            throw invalid("expected a number, found \(describeForError)")
        }
        return value
    }

    /// The value as a boolean (`true`/`false`).
    public func bool() throws -> Bool {
        guard case .scalar = node, tagName == .bool, let value = node.bool else {
            throw invalid("expected true or false, found \(describeForError)")
        }
        return value
    }

    /// The value as a point in time: an RFC 3339 timestamp, quoted or not.
    public func date() throws -> Date {
        guard case let .scalar(scalar) = node else { throw invalid("expected a timestamp, found \(kindName)") }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: scalar.string) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: scalar.string) { return date }
        throw invalid("expected an RFC 3339 timestamp such as 2026-11-25T08:00:00Z, found `\(scalar.string)`")
    }

    // MARK: Collections

    /// The entries of a mapping in file order. Keys must be strings.
    public func mapping() throws -> [(key: String, value: YAMLValue)] {
        guard case let .mapping(mapping) = node else { throw invalid("expected a mapping, found \(kindName)") }
        var entries: [(key: String, value: YAMLValue)] = []
        entries.reserveCapacity(mapping.count)
        for (keyNode, valueNode) in mapping {
            guard case let .scalar(keyScalar) = keyNode else {
                throw YAMLInputError.invalidValue(context.location(of: keyNode), resource: context.resource,
                                                  path: path.isEmpty ? "(document)" : path, problem: "mapping keys must be strings")
            }
            let key = keyScalar.string
            entries.append((key, try YAMLValue(node: valueNode, path: childPath(key), context: context)))
        }
        return entries
    }

    /// The elements of a sequence.
    public func sequence() throws -> [YAMLValue] {
        guard case let .sequence(sequence) = node else { throw invalid("expected a list, found \(kindName)") }
        var elements: [YAMLValue] = []
        elements.reserveCapacity(sequence.count)
        for (index, element) in sequence.enumerated() {
            elements.append(try YAMLValue(node: element, path: "\(path)[\(index)]", context: context))
        }
        return elements
    }

    /// The value of `key` in this mapping, or nil when the key is absent or null.
    public func field(_ key: String) throws -> YAMLValue? {
        guard case let .mapping(mapping) = node else { throw invalid("expected a mapping, found \(kindName)") }
        guard let valueNode = mapping[key] else { return nil }
        let value = try YAMLValue(node: valueNode, path: childPath(key), context: context)
        return value.isNull ? nil : value
    }

    /// A list of strings (`[a, b]` or a block list). Null is an empty list.
    public func stringList() throws -> [String] {
        if isNull { return [] }
        return try sequence().map { try $0.string() }
    }

    /// A map of string lists, the YAML form of Teleport's `Traits` (traits, annotations).
    public func stringListMap() throws -> [String: [String]] {
        if isNull { return [:] }
        var result: [String: [String]] = [:]
        for (key, value) in try mapping() {
            result[key] = try value.stringList()
        }
        return result
    }

    /// Fails when the mapping has keys outside `allowed`; used where a typo must not pass silently.
    public func requireOnlyKeys(_ allowed: Set<String>) throws {
        for (key, value) in try mapping() where !allowed.contains(key) {
            let known = allowed.sorted().joined(separator: ", ")
            throw YAMLInputError.invalidValue(value.location, resource: context.resource, path: value.path,
                                              problem: "unknown key `\(key)` (known keys: \(known))")
        }
    }

    // MARK: Helpers

    /// The resolved YAML tag (plain scalars are resolved to int, bool, null, … as YAML 1.1 does).
    private var tagName: Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    private func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private var kindName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch tagName {
            case .int: return "a number"
            case .float: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            default: return "a string"
            }
        }
    }

    private var describeForError: String {
        if case let .scalar(scalar) = node { return "\(kindName) `\(scalar.string)`" }
        return kindName
    }
}

/// State shared by every `YAMLValue` of one document: the file, the resource being decoded (for
/// messages) and the node budget that stops alias blow-ups.
final class YAMLDecodingContext {
    let file: String
    var resource: String
    private let maxNodes: Int
    private var visited = 0

    init(file: String, resource: String, maxNodes: Int) {
        self.file = file
        self.resource = resource
        self.maxNodes = maxNodes
    }

    func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func count(at node: Node) throws {
        visited += 1
        if visited > maxNodes {
            throw YAMLInputError.tooManyNodes(location(of: node), resource: resource, limit: maxNodes)
        }
    }
}
