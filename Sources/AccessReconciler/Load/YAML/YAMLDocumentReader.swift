import Foundation
import Yams

/// One document of a multi-document YAML stream.
public struct YAMLDocument {
    /// The document's root value; nil for an empty document.
    public let root: YAMLValue?
    /// Position of the document in its file, starting at 1.
    public let index: Int
    /// Where the document starts.
    public let location: SourceLocation
    let context: YAMLDecodingContext

    /// Names the resource in later error messages (e.g. `role "editor"`).
    public func describe(as resource: String) { context.resource = resource }
}

/// Reads files of one or more YAML documents (as `tctl get` writes them) within `YAMLLimits`.
public enum YAMLDocumentReader {
    /// Reads and parses a whole file.
    public static func read(file path: String, limits: YAMLLimits = .default) throws -> [YAMLDocument] {
        let url = URL(fileURLWithPath: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > limits.maxFileBytes {
            throw YAMLInputError.tooLarge(SourceLocation(file: path, line: 1), what: "the file", limit: limits.maxFileBytes)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw YAMLInputError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw YAMLInputError.unreadable(file: path, reason: "the file is not UTF-8 text")
        }
        return try parse(text, file: path, limits: limits)
    }

    /// Parses text that came from `file` (used in messages only).
    public static func parse(_ text: String, file: String, limits: YAMLLimits = .default) throws -> [YAMLDocument] {
        if text.utf8.count > limits.maxFileBytes {
            throw YAMLInputError.tooLarge(SourceLocation(file: file, line: 1), what: "the file", limit: limits.maxFileBytes)
        }
        try checkDocumentSizes(text, file: file, limit: limits.maxDocumentBytes)
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
        } catch {
            throw syntaxError(error, file: file)
        }
        var documents: [YAMLDocument] = []
        while true {
            let root: Node?
            do {
                root = try parser.nextRoot()
            } catch {
                throw syntaxError(error, file: file)
            }
            guard let root else { break }
            let index = documents.count + 1
            let context = YAMLDecodingContext(file: file, resource: "document \(index)", maxNodes: Int.max)
            let location = context.location(of: root)
            var budget = limits.maxNodesPerDocument
            guard countNodes(root, budget: &budget) else {
                throw YAMLInputError.tooManyNodes(location, resource: "document \(index)", limit: limits.maxNodesPerDocument)
            }
            let value = try YAMLValue(node: root, path: "", context: context)
            documents.append(YAMLDocument(root: value.isNull ? nil : value, index: index, location: location, context: context))
        }
        return documents
    }

    /// Counts the nodes of a document as a reader would see them, every alias expansion again, and
    /// stops as soon as the budget is spent: a "billion laughs" costs at most the budget.
    private static func countNodes(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias:
            return true
        case let .sequence(sequence):
            for element in sequence where !countNodes(element, budget: &budget) { return false }
            return true
        case let .mapping(mapping):
            for (key, value) in mapping where !countNodes(key, budget: &budget) || !countNodes(value, budget: &budget) { return false }
            return true
        }
    }

    /// Measures each document between `---`/`...` markers before parsing, so that an oversized
    /// document is refused without building it.
    private static func checkDocumentSizes(_ text: String, file: String, limit: Int) throws {
        var size = 0
        var startLine = 1
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.hasPrefix("---") || line.hasPrefix("...") {
                let rest = line.dropFirst(3)
                if rest.isEmpty || rest.first == " " || rest.first == "\t" || rest.first == "\r" {
                    size = 0
                    startLine = lineNumber
                    continue
                }
            }
            size += line.utf8.count + 1
            if size > limit {
                throw YAMLInputError.tooLarge(SourceLocation(file: file, line: startLine), what: "the YAML document starting here", limit: limit)
            }
        }
    }

    private static func syntaxError(_ error: Error, file: String) -> YAMLInputError {
        guard let yamlError = error as? YamlError else {
            return .syntax(SourceLocation(file: file, line: 1), problem: String(describing: error))
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) (\($0.text) started at line \($0.mark.line), column \($0.mark.column))" } ?? problem
            return .syntax(SourceLocation(file: file, line: mark.line, column: mark.column), problem: detail)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .syntax(SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                           problem: "duplicate key \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in a mapping")
        case let .reader(problem, offset, _, _):
            return .syntax(SourceLocation(file: file, line: 1), problem: "\(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return .syntax(SourceLocation(file: file, line: 1), problem: yamlError.description)
        }
    }
}
