import AccessReconciler
import Foundation

/// The metrics file for node_exporter's textfile collector: written whole (a temporary file, then
/// a rename), and read back for what a failing run must keep: the last success time, and the
/// cluster it was for.
public struct MetricsFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Mode 0644 on purpose: node_exporter reads the file as its own user, and it holds counts,
    /// times and the cluster's name, nothing secret.
    public func write(_ text: String) throws {
        try AtomicFile.write(Data(text.utf8), to: path, permissions: 0o644)
    }

    /// What an earlier run left: its last success time and cluster label; nils when there is no file.
    public func readBack() -> (lastSuccess: Date?, cluster: String?) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return (nil, nil) }
        for line in text.split(separator: "\n") where line.hasPrefix(RunMetrics.lastSuccessName + "{") || line.hasPrefix(RunMetrics.lastSuccessName + " ") {
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            return (Date(timeIntervalSince1970: value), Self.label("cluster", in: line))
        }
        return (nil, nil)
    }

    /// The value of one label of a sample line (`name{a="x",cluster="prod"} 1`).
    static func label(_ name: String, in line: Substring) -> String? {
        guard let start = line.range(of: name + "=\"") else { return nil }
        var value = ""
        var escaped = false
        for character in line[start.upperBound...] {
            if escaped {
                value.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return value
            } else {
                value.append(character)
            }
        }
        return nil
    }
}
