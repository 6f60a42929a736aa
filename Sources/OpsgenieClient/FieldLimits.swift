/// Opsgenie's documented field limits. Values over a limit are shortened on character boundaries
/// (with an ellipsis) rather than sent and rejected; the alias, which identifies the alert, is
/// never shortened.
public enum FieldLimits {
    public static let message = 130
    public static let alias = 512
    public static let description = 15_000
    public static let tagCount = 20
    public static let tagLength = 50
    public static let detailsTotal = 8_000
    public static let responders = 50
    public static let note = 25_000
    public static let source = 100
    public static let user = 100

    /// `text` cut to at most `limit` UTF-16 units (Opsgenie counts in Java characters), ending in "…"
    /// when shortened.
    public static func shorten(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = String(character).utf16.count
            guard used + size <= limit - 1 else { break }
            result.append(character)
            used += size
        }
        return result + "…"
    }

    /// Details within the total budget: entries in key order, values shortened once the budget runs
    /// low, and entries dropped once it is spent.
    public static func details(_ details: [String: String]) -> [String: String] {
        var remaining = detailsTotal
        var result: [String: String] = [:]
        for (key, value) in details.sorted(by: { $0.key < $1.key }) {
            let keySize = key.utf16.count
            guard remaining > keySize + 1 else { break }
            let kept = shorten(value, to: remaining - keySize)
            result[key] = kept
            remaining -= keySize + kept.utf16.count
        }
        return result
    }

    /// At most 20 tags, each at most 50 characters.
    public static func tags(_ tags: [String]) -> [String] {
        Array(tags.prefix(tagCount)).map { shorten($0, to: tagLength) }
    }
}
