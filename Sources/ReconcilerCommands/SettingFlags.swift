import AccessReconciler
import ArgumentParser

/// The settings' flags of a command line, read against the catalog, which is their one
/// declaration: the commands do not declare them again as options. The argument parser hands over
/// what it does not know itself; this reads `--name value`, `--name=value` and a list flag given
/// again, and refuses, as the parser would (exit 64 with the usage), an unknown option, a flag
/// without its value and a stray argument. A single-value flag given twice keeps the last value.
struct SettingFlags {
    let catalog: SettingsCatalog

    /// The texts given, by flag name (`--priority` → `["P1"]`).
    func parse(_ arguments: [String]) throws -> [String: [String]] {
        var given: [String: [String]] = [:]
        var rest = arguments[...]
        while let token = rest.popFirst() {
            guard token.hasPrefix("--"), token.count > 2 else {
                throw ValidationError(token.hasPrefix("-") && token.count > 1 ? "Unknown option '\(token)'" : "Unexpected argument '\(token)'")
            }
            let equals = token.firstIndex(of: "=")
            let name = String(token[..<(equals ?? token.endIndex)])
            guard let declaration = catalog.declaration(flag: name) else { throw ValidationError("Unknown option '\(name)'") }
            let value: String
            if let equals {
                value = String(token[token.index(after: equals)...])
            } else if let next = rest.first, !Self.looksLikeOption(next) {
                value = next
                rest.removeFirst()
            } else {
                throw ValidationError("Missing value for '\(name) <\(declaration.valueName.lowercased())>'")
            }
            if declaration.shape == .list { given[name, default: []].append(value) } else { given[name] = [value] }
        }
        return given
    }

    /// The parser takes a word that starts with `-` for an option, never for a value (`--flag=-1`
    /// gives such a value).
    static func looksLikeOption(_ word: String) -> Bool { word.hasPrefix("-") && word.count > 1 }

    /// The SETTINGS section of a command's help, from the declarations: each flag with its value,
    /// sentence, variable, file key and default, wrapped for an 80-column terminal (79 columns: the
    /// parser wraps the help again, and breaks a line of 80).
    func help() -> String {
        var lines = [
            "SETTINGS:",
            "  Each setting is a flag, an environment variable and a configuration-file",
            "  key; a flag wins over the variable, the variable over the file.",
            "  `access-reconciler settings` prints them as a table.",
        ]
        for declaration in catalog.declarations {
            guard let flag = declaration.flag else { continue }
            lines.append("")
            lines.append("  \(flag) <\(declaration.valueName.lowercased())>")
            lines += Self.wrap(Self.sentence(declaration), width: 79, indent: 8)
        }
        return lines.joined(separator: "\n")
    }

    /// A declaration's help sentence, with how else it is given and its default.
    static func sentence(_ declaration: SettingDeclaration) -> String {
        var text = declaration.help.replacingOccurrences(of: "`", with: "")
        if declaration.shape == .list { text += " Repeatable." }
        if let variable = declaration.environment { text += " Env: \(variable)\(declaration.shape == .list ? ", comma-separated" : "")." }
        text += " File: \(declaration.key)."
        if !declaration.defaultDescription.isEmpty { text += " Default: \(declaration.defaultDescription.replacingOccurrences(of: "`", with: ""))." }
        return text
    }

    /// Words filled into lines of at most `width` columns, each indented by `indent`.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        let margin = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, margin.count + line.count + 1 + word.count > width {
                lines.append(margin + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(margin + line) }
        return lines
    }
}
