import Foundation

/// `check`'s checklist: every line, grouped by side, and the exit status it gives (1 when any
/// line is ✗; ? lines do not fail the check, as they cannot be decided without writing).
public struct CheckReport: Sendable, Hashable, Codable {
    public var lines: [CheckLine]
    /// The alert service checked (`Opsgenie`, `JSM Operations`).
    public var alertService: String

    public init(lines: [CheckLine], alertService: String) {
        self.lines = lines
        self.alertService = alertService
    }

    public var failed: [CheckLine] { lines.filter { $0.status == .failed } }

    public var exitStatus: ExitStatus { failed.isEmpty ? .success : .failure }

    /// The checklist for a terminal: one line per check, the fix indented under it.
    public func text() -> String {
        var out = ""
        for area in CheckLine.Area.allCases {
            let lines = self.lines.filter { $0.area == area }
            guard !lines.isEmpty else { continue }
            out += "\(heading(area))\n"
            for line in lines {
                out += "  \(line.status.mark) \(line.summary)\n"
                if let warning = line.warning { out += "      warning: \(warning)\n" }
                if let fix = line.fix { out += "      \(line.status == .failed ? "fix" : "how to check"): \(fix)\n" }
            }
            out += "\n"
        }
        let counts = [CheckLine.Status.passed, .failed, .undecided].map { status in "\(lines.filter { $0.status == status }.count) \(status.mark)" }
        out += failed.isEmpty
            ? "Ready: nothing failed (\(counts.joined(separator: ", "))).\n"
            : "Not ready: \(failed.count) check(s) failed (\(counts.joined(separator: ", "))); fix them before `apply`.\n"
        return out
    }

    /// The checklist as JSON: `{"alertService", "ready", "lines": [...]}`, keys sorted.
    public func jsonData() throws -> Data {
        struct Document: Encodable {
            var alertService: String
            var ready: Bool
            var lines: [CheckLine]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(Document(alertService: alertService, ready: failed.isEmpty, lines: lines))
        data.append(UInt8(ascii: "\n"))
        return data
    }

    private func heading(_ area: CheckLine.Area) -> String {
        switch area {
        case .teleport: return "Teleport"
        case .alerting: return alertService
        case .job: return "The job"
        }
    }
}
