/// The README's configuration table, made from the declarations (`access-reconciler settings`
/// prints it; a test fails when the README's copy differs).
extension SettingsCatalog {
    public func markdownTable() -> String {
        var lines = ["| flag | environment | file key | default | what it sets |", "| --- | --- | --- | --- | --- |"]
        for declaration in declarations {
            var flag = declaration.flag.map { "`\($0) \(declaration.valueName)`" } ?? ""
            var environment = declaration.environment.map { "`\($0)`" } ?? ""
            if declaration.shape == .list {
                if !flag.isEmpty { flag += " (repeatable)" }
                if !environment.isEmpty { environment += " (comma-separated)" }
            }
            let deprecated = aliases.filter { $0.key == declaration.key }
            let oldVariables = deprecated.compactMap(\.oldEnvironment).map { "`\($0)`" }
            if !oldVariables.isEmpty { environment += "; deprecated: " + oldVariables.joined(separator: ", ") }
            var key = declaration.inFile ? "`\(declaration.key)`" : "never (a secret)"
            let oldKeys = deprecated.compactMap(\.oldKey).map { "`\($0)`" }
            if !oldKeys.isEmpty { key += "; deprecated: " + oldKeys.joined(separator: ", ") }
            let help = declaration.secret ? declaration.help + " Never printed or logged." : declaration.help
            lines.append("| \(escape(flag)) | \(environment) | \(key) | \(escape(declaration.defaultDescription)) | \(escape(help)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
