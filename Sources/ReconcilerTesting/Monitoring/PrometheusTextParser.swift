import Foundation

/// A strict reader of Prometheus's text exposition format (0.0.4), for tests: what the job writes to
/// `--metrics-file` and pushes must be accepted by node_exporter and the Pushgateway, which reject a
/// malformed line, a `TYPE` after its samples, or a family split in two.
public enum PrometheusTextParser {
    public struct Sample: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public struct Family: Sendable, Hashable {
        public var name: String
        public var type: String?
        public var help: String?
        public var samples: [Sample]
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    /// The families in the order they appear.
    public static func parse(_ text: String) throws -> [Family] {
        var families: [Family] = []
        var index: [String: Int] = [:]
        var closed = Set<String>()
        var current: String?
        func family(_ name: String, line: Int) throws -> Int {
            if current != name, let previous = current { closed.insert(previous) }
            if closed.contains(name) { throw ParseError(line: line, problem: "the family \(name) is split: its lines must be together") }
            current = name
            if let existing = index[name] { return existing }
            families.append(Family(name: name, samples: []))
            index[name] = families.count - 1
            return families.count - 1
        }
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
                guard parts.count >= 3, parts[0] == "#", ["HELP", "TYPE"].contains(parts[1]) else { continue }
                let name = parts[2]
                guard isMetricName(name) else { throw ParseError(line: number, problem: "bad metric name \(name)") }
                let position = try family(name, line: number)
                if parts[1] == "TYPE" {
                    let type = parts.count > 3 ? parts[3] : ""
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                        throw ParseError(line: number, problem: "unknown type \(type)")
                    }
                    guard families[position].type == nil, families[position].samples.isEmpty else {
                        throw ParseError(line: number, problem: "TYPE of \(name) after its samples or twice")
                    }
                    families[position].type = type
                } else {
                    guard families[position].help == nil else { throw ParseError(line: number, problem: "HELP of \(name) twice") }
                    families[position].help = parts.count > 3 ? parts[3] : ""
                }
                continue
            }
            let sample = try parseSample(line, number: number)
            let base = familyName(of: sample.name, known: index)
            let position = try family(base, line: number)
            if families[position].samples.contains(where: { $0.name == sample.name && $0.labels == sample.labels }) {
                throw ParseError(line: number, problem: "\(sample.name) with these labels twice")
            }
            families[position].samples.append(sample)
        }
        return families
    }

    static func familyName(of sample: String, known: [String: Int]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) {
            let base = String(sample.dropLast(suffix.count))
            if known[base] != nil { return base }
        }
        return sample
    }

    static func parseSample(_ line: String, number: Int) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard isMetricName(name) else { throw ParseError(line: number, problem: "bad metric name in \(line)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard let first = label.first, first.isLetter || first == "_" else { throw ParseError(line: number, problem: "bad label name") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw ParseError(line: number, problem: "expected =\" after \(label)") }
                rest = rest.dropFirst(2)
                var value = ""
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first, ["\\", "\"", "n"].contains(escaped) else {
                            throw ParseError(line: number, problem: "bad escape in the value of \(label)")
                        }
                        value.append(escaped == "n" ? "\n" : escaped)
                        rest = rest.dropFirst()
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw ParseError(line: number, problem: "unterminated value of \(label)") }
                guard labels.updateValue(value, forKey: label) == nil else { throw ParseError(line: number, problem: "label \(label) twice") }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" {
                    throw ParseError(line: number, problem: "expected , or } after a label")
                }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard rest.first == " ", (1...2).contains(fields.count) else { throw ParseError(line: number, problem: "expected a value (and a timestamp) in \(line)") }
        let text = String(fields[0])
        let value: Double
        switch text {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default:
            guard let parsed = Double(text) else { throw ParseError(line: number, problem: "bad value \(text)") }
            value = parsed
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw ParseError(line: number, problem: "bad timestamp \(fields[1])") }
        return Sample(name: name, labels: labels, value: value)
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }
}

extension [PrometheusTextParser.Family] {
    /// The value of the one sample of `name` whose labels include `labels`; nil when there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }
}
