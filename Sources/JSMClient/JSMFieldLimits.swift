/// JSM Operations' field limits (`CreateAlertRequest`; the official description gives them as
/// `maximum` on strings). Longer values are shortened rather than refused.
enum JSMFieldLimits {
    static let message = 130
    static let alias = 512
    static let description = 15_000
    static let source = 100
    static let note = 25_000
    static let responders = 50
    static let extraPropertiesTotal = 8_000

    static func shorten(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// Keeps whole entries, in key order, while keys and values together fit.
    static func extraProperties(_ properties: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        var total = 0
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let size = key.count + value.count
            guard total + size <= extraPropertiesTotal else { continue }
            result[key] = value
            total += size
        }
        return result
    }
}
