import Foundation

/// The subset of Opsgenie's alert search syntax the fake understands: `field:value`,
/// `field>value` (and `<`, `>=`, `<=`) terms joined by `AND`, values optionally in double quotes.
/// Fields: `status`, `tag`/`tags`, `alias`, `message`, `createdAt` (epoch milliseconds).
struct FakeOpsgenieQuery {
    struct Term {
        var field: String
        var comparison: String
        var value: String
    }

    var terms: [Term]

    /// Parses a query; nil with a reason for what the fake does not support (answered with 422).
    static func parse(_ text: String) -> Result<FakeOpsgenieQuery, QueryError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .success(FakeOpsgenieQuery(terms: [])) }
        var terms: [Term] = []
        for part in split(trimmed) {
            if part.uppercased() == "AND" { continue }
            if part.uppercased() == "OR" || part.hasPrefix("(") { return .failure(QueryError(reason: "the fake supports AND only")) }
            guard let term = term(part) else { return .failure(QueryError(reason: "cannot read query term `\(part)`")) }
            terms.append(term)
        }
        return .success(FakeOpsgenieQuery(terms: terms))
    }

    struct QueryError: Error {
        var reason: String
    }

    func matches(_ alert: FakeOpsgenieAlert) -> Bool {
        terms.allSatisfy { term in
            switch term.field {
            case "status": return alert.status == term.value
            case "tag", "tags": return alert.tags.contains(term.value)
            case "alias": return alert.alias == term.value
            case "message": return alert.message == term.value
            case "createdAt":
                guard let limit = Int64(term.value) else { return false }
                let created = Int64((alert.createdAt.timeIntervalSince1970 * 1000).rounded(.down))
                switch term.comparison {
                case ">": return created > limit
                case ">=": return created >= limit
                case "<": return created < limit
                case "<=": return created <= limit
                default: return created == limit
                }
            default: return false
            }
        }
    }

    /// Splits on spaces outside double quotes.
    private static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle(); current.append(character); continue }
            if character == " " && !quoted {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    private static func term(_ text: String) -> Term? {
        for comparison in [">=", "<=", ":", ">", "<"] {
            guard let range = text.range(of: comparison) else { continue }
            let field = String(text[..<range.lowerBound])
            var value = String(text[range.upperBound...])
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard !field.isEmpty, !value.isEmpty else { return nil }
            return Term(field: field, comparison: comparison, value: value)
        }
        return nil
    }
}
