import Foundation

/// Parses durations as Teleport's manifests write them: Go's syntax (`8h`, `1h30m`, `90s`, `1.5h`),
/// `d` for days, and `never` for zero.
public enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
    ]

    /// Seconds, or nil when `text` is not a duration.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "never" || trimmed == "0" { return 0 }
        var rest = Substring(trimmed)
        var negative = false
        if rest.hasPrefix("-") { negative = true; rest = rest.dropFirst() } else if rest.hasPrefix("+") { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            // Longest unit first, so that "ms" is not read as "m".
            guard let unit = units.filter({ unitText == $0.0 }).first else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        return negative ? -total : total
    }

    /// The duration `text` writes, or nil when it is not one.
    public static func duration(_ text: String) -> Duration? {
        seconds(text).map { .seconds($0) }
    }

    /// Formats a duration compactly (`8h`, `1h30m`, `45s`), to the second.
    public static func format(_ duration: Duration) -> String {
        format(duration.timeInterval)
    }

    /// Formats seconds compactly (`8h`, `1h30m`, `45s`) for reports.
    public static func format(_ seconds: Double) -> String {
        var remaining = Int(seconds.rounded())
        if remaining == 0 { return "0s" }
        var parts: [String] = []
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where remaining >= size {
            parts.append("\(remaining / size)\(unit)")
            remaining %= size
        }
        return parts.joined()
    }
}
