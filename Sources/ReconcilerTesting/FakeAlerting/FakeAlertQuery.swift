import Foundation

/// The subset of the alert search syntax (Opsgenie's, which JSM Operations inherited) the fakes
/// understand: `field:value` and `field>value` (also `<`, `>=`, `<=`) terms, values optionally in
/// double quotes (with `\"` and `\\` escapes), joined by `AND` and `OR` (AND binds tighter), `NOT`
/// before a term or a parenthesis, and parentheses. Fields: `status`, `tag`/`tags`, `alias`,
/// `message`, `createdAt` (epoch milliseconds). Matching is exact. Which of these a fake accepts
/// is its `FakeQueryGrammar`'s decision.
indirect enum FakeAlertQuery {
    case all
    case term(field: String, comparison: String, value: String)
    case and(FakeAlertQuery, FakeAlertQuery)
    case or(FakeAlertQuery, FakeAlertQuery)
    case not(FakeAlertQuery)

    struct QueryError: Error {
        var reason: String
    }

    /// Parses a query; a failure carries the reason (answered with 422).
    static func parse(_ text: String) -> Result<FakeAlertQuery, QueryError> {
        var parser = Parser(tokens: tokenize(text))
        guard !parser.tokens.isEmpty else { return .success(.all) }
        do {
            let query = try parser.disjunction()
            guard parser.position == parser.tokens.count else { throw QueryError(reason: "unexpected `\(parser.tokens[parser.position])`") }
            return .success(query)
        } catch let error as QueryError {
            return .failure(error)
        } catch {
            return .failure(QueryError(reason: "\(error)"))
        }
    }

    /// Whether the alert matches. With `looseTags`, a tag term matches any tag that starts with
    /// the value, ignoring case, as a full-text search engine may: the client must not rely on
    /// the search for exactness.
    func matches(_ alert: FakeAlert, looseTags: Bool = false) -> Bool {
        switch self {
        case .all: return true
        case let .and(left, right): return left.matches(alert, looseTags: looseTags) && right.matches(alert, looseTags: looseTags)
        case let .or(left, right): return left.matches(alert, looseTags: looseTags) || right.matches(alert, looseTags: looseTags)
        case let .not(inner): return !inner.matches(alert, looseTags: looseTags)
        case let .term(field, comparison, value):
            switch field {
            case "status": return alert.status == value
            case "tag" where looseTags, "tags" where looseTags: return alert.tags.contains { $0.lowercased().hasPrefix(value.lowercased()) }
            case "tag", "tags": return alert.tags.contains(value)
            case "alias": return alert.alias == value
            case "message": return alert.message == value
            case "createdAt":
                guard let limit = Int64(value) else { return false }
                let created = Int64((alert.createdAt.timeIntervalSince1970 * 1000).rounded(.down))
                switch comparison {
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

    private struct Parser {
        let tokens: [String]
        var position = 0

        mutating func disjunction() throws -> FakeAlertQuery {
            var query = try conjunction()
            while position < tokens.count, tokens[position].uppercased() == "OR" {
                position += 1
                query = .or(query, try conjunction())
            }
            return query
        }

        mutating func conjunction() throws -> FakeAlertQuery {
            var query = try primary()
            while position < tokens.count, tokens[position].uppercased() == "AND" {
                position += 1
                query = .and(query, try primary())
            }
            return query
        }

        mutating func primary() throws -> FakeAlertQuery {
            guard position < tokens.count else { throw QueryError(reason: "the query ends too early") }
            let token = tokens[position]
            position += 1
            if token.uppercased() == "NOT" { return .not(try primary()) }
            if token == "(" {
                let inner = try disjunction()
                guard position < tokens.count, tokens[position] == ")" else { throw QueryError(reason: "a parenthesis is not closed") }
                position += 1
                return inner
            }
            guard let term = FakeAlertQuery.term(token) else { throw QueryError(reason: "cannot read query term `\(token)`") }
            return term
        }
    }

    /// Every term of the query, for a grammar to check.
    var terms: [(field: String, comparison: String, value: String)] {
        switch self {
        case .all: return []
        case let .term(field, comparison, value): return [(field, comparison, value)]
        case let .and(left, right), let .or(left, right): return left.terms + right.terms
        case let .not(inner): return inner.terms
        }
    }

    /// Splits into terms, parentheses and operators; spaces and parentheses inside double quotes
    /// belong to the value.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if quoted {
                current.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
                continue
            }
            switch character {
            case "\"":
                quoted = true
                current.append(character)
            case " ", "(", ")":
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character != " " { tokens.append(String(character)) }
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func term(_ text: String) -> FakeAlertQuery? {
        for comparison in [">=", "<=", ":", ">", "<"] {
            guard let range = text.range(of: comparison) else { continue }
            let field = String(text[..<range.lowerBound])
            var value = String(text[range.upperBound...])
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            guard !field.isEmpty, !value.isEmpty else { return nil }
            return .term(field: field, comparison: comparison, value: value)
        }
        return nil
    }
}
