import Foundation

/// The value types settings share. Each failure names the value's source and what was expected;
/// a secret's text is never quoted (no secret setting is parsed here).
extension SettingValue {
    public func url() throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw invalid("`\(text)` is not an http(s) URL")
        }
        return url
    }

    /// A Go-style duration (`90s`, `15m`, `8h`), above zero.
    public func duration(example: String) throws -> Duration {
        guard let duration = GoDuration.duration(text), duration > .zero else { throw invalid("expected a duration such as \(example)") }
        return duration
    }

    public func count(minimum: Int) throws -> Int {
        guard let number = Int(text), number >= minimum else { throw invalid("expected a whole number of at least \(minimum)") }
        return number
    }

    /// Requests per second, above zero.
    public func rate() throws -> Double {
        guard let number = Double(text), number > 0, number.isFinite else {
            throw invalid("expected a number of requests per second above 0")
        }
        return number
    }

    public func bool() throws -> Bool {
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw invalid("expected true or false")
        }
    }

    /// One of `choices`, as written (`expected auto, auth or proxy`).
    public func choice(_ choices: [String]) throws -> String {
        guard choices.contains(text) else { throw invalid("expected \(Self.alternatives(choices))") }
        return text
    }

    /// The case of `type` whose raw value is the text (`expected text or json`).
    public func choice<Choice: RawRepresentable & CaseIterable>(of type: Choice.Type) throws -> Choice where Choice.RawValue == String {
        guard let choice = Choice(rawValue: text) else { throw invalid("expected \(Self.alternatives(Choice.allCases.map(\.rawValue)))") }
        return choice
    }

    public func nonEmpty(_ what: String) throws -> String {
        guard !text.isEmpty else { throw invalid("expected \(what)") }
        return text
    }

    static func alternatives(_ choices: [String]) -> String {
        guard choices.count > 1 else { return choices.first ?? "" }
        return choices.dropLast().joined(separator: ", ") + " or " + choices.last!
    }
}
