/// How much of the alert search syntax a fake accepts. The vendors document the syntax in prose
/// (Opsgenie's "Search syntax for alerts", which JSM Operations links to): fields `status` with the
/// values `open` and `closed`, `tag`, `alias`, `message`, `createdAt` with `<` and `>` on epoch
/// milliseconds, the operators `AND`, `OR` and `NOT`, parentheses and double-quoted values.
/// JSM's `AlertResponse.status` also knows `acked`, `snoozed` and `resolved`, but nothing says
/// that a search may name them.
public enum FakeQueryGrammar: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Only the documented grammar; anything else is answered 422. Each documented value is read
    /// at its narrowest: `status:open` matches only alerts whose status is `open`, not acknowledged
    /// or snoozed ones, so a client that relies on a wider reading misses them.
    case documented
    /// Any status value (matched literally), `tags`, `>=` and `<=` as well: the reading the fakes
    /// had before, for a service more forgiving than its documents.
    case lenient

    public var description: String { rawValue }

    /// Why `query` is outside this grammar, or nil when it is inside.
    func problem(in query: FakeAlertQuery) -> String? {
        guard self == .documented else { return nil }
        for term in query.terms {
            switch term.field {
            case "status":
                guard term.comparison == ":", ["open", "closed"].contains(term.value) else {
                    return "status\(term.comparison)\(term.value) is not a documented search term (status: open or closed)"
                }
            case "tag", "alias", "message":
                guard term.comparison == ":" else { return "\(term.field) takes `:` only" }
            case "createdAt":
                guard ["<", ">"].contains(term.comparison), Int64(term.value) != nil else {
                    return "createdAt\(term.comparison)\(term.value) is not a documented search term (createdAt < or > epoch milliseconds)"
                }
            default:
                return "`\(term.field)` is not a documented search field"
            }
        }
        return nil
    }
}
