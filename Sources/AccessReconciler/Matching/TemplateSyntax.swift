import Foundation

/// The small `{{ … }}` expression language of Teleport role templates, as far as request matching and
/// annotation interpolation use it.
enum TemplateSyntax {
    struct Template {
        var prefix: String
        var expression: String
        var suffix: String
    }

    enum Argument: Equatable {
        case string(String)
        case variable(namespace: String, name: String)
    }

    struct Call {
        var function: String
        var arguments: [Argument]
    }

    /// Splits `prefix{{expression}}suffix`; nil when there are no braces at all.
    static func split(_ text: String) throws -> Template? {
        let hasOpen = text.contains("{{"), hasClose = text.contains("}}")
        guard hasOpen || hasClose else { return nil }
        guard let open = text.range(of: "{{"), let close = text.range(of: "}}", range: open.upperBound..<text.endIndex),
              !text[close.upperBound...].contains("{{"), !text[close.upperBound...].contains("}}") else {
            throw PatternError(pattern: text, problem: "uses template brackets '{{' or '}}' but is not of the form prefix{{expression}}suffix")
        }
        let expression = text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
        guard !expression.isEmpty else { throw PatternError(pattern: text, problem: "empty expression between '{{' and '}}'") }
        return Template(prefix: String(text[..<open.lowerBound]), expression: expression, suffix: String(text[close.upperBound...]))
    }

    /// Parses `function(arg, …)` where each argument is a quoted string or a variable.
    static func call(_ expression: String, in source: String) throws -> Call {
        guard let open = expression.firstIndex(of: "("), expression.hasSuffix(")") else {
            throw PatternError(pattern: source, problem: "expected a function call such as regexp.match(\"…\")")
        }
        let function = expression[..<open].trimmingCharacters(in: .whitespaces)
        let inner = expression[expression.index(after: open)..<expression.index(before: expression.endIndex)]
        return Call(function: function, arguments: try arguments(String(inner), in: source))
    }

    /// Parses a variable: `internal.logins`, `external.email`, `external["group name"]`.
    static func variable(_ text: String, in source: String) throws -> Argument {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let bracket = trimmed.firstIndex(of: "["), trimmed.hasSuffix("]") {
            let namespace = String(trimmed[..<bracket])
            let key = trimmed[trimmed.index(after: bracket)..<trimmed.index(before: trimmed.endIndex)]
            guard case let .string(name)? = try? quoted(String(key).trimmingCharacters(in: .whitespaces)) else {
                throw PatternError(pattern: source, problem: "expected a quoted trait name inside [ ]")
            }
            return try checkedVariable(namespace: namespace, name: name, source: source)
        }
        let parts = trimmed.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else {
            throw PatternError(pattern: source, problem: "`\(trimmed)` is not a variable such as internal.logins or external.email")
        }
        return try checkedVariable(namespace: parts[0], name: parts[1], source: source)
    }

    private static func checkedVariable(namespace: String, name: String, source: String) throws -> Argument {
        guard namespace == "internal" || namespace == "external" else {
            throw PatternError(pattern: source, problem: "unknown namespace `\(namespace)`; use internal or external")
        }
        return .variable(namespace: namespace, name: name)
    }

    private static func arguments(_ text: String, in source: String) throws -> [Argument] {
        var result: [Argument] = []
        var current = ""
        var inQuote = false
        var escaped = false
        for character in text {
            if inQuote {
                current.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inQuote = false }
            } else if character == "\"" {
                inQuote = true
                current.append(character)
            } else if character == "," {
                result.append(try argument(current, in: source))
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !inQuote else { throw PatternError(pattern: source, problem: "unterminated string") }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty || !result.isEmpty {
            result.append(try argument(current, in: source))
        }
        return result
    }

    private static func argument(_ text: String, in source: String) throws -> Argument {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("\"") { return try quoted(trimmed) }
        return try variable(trimmed, in: source)
    }

    private static func quoted(_ text: String) throws -> Argument {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else {
            throw PatternError(pattern: text, problem: "expected a quoted string")
        }
        var value = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                value.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                value.append(character)
            }
        }
        return .string(value)
    }
}
