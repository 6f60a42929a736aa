import Foundation

/// The human-readable report: a header, actions grouped by kind with their reasons, findings, and
/// a one-line summary a cron mail can be judged by.
public enum TextReport {
    public static func render(_ report: RunReport) -> String {
        let document = ReportDocument(report)
        var lines: [String] = []
        lines.append("access-reconciler \(report.mode.rawValue): cluster \(document.cluster), \(document.generatedAt)")
        let skipped = report.manifests.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        lines.append("manifests: \(report.manifests.roles) roles, \(report.manifests.users) users"
            + (skipped.isEmpty ? "" : " (skipped: \(skipped.joined(separator: ", ")))"))
        let groups: [(PlannedAction.Kind, String)] = [
            (.createAlert, "Create alert"), (.approveRequest, "Approve request"), (.addNote, "Add note"), (.closeAlert, "Close alert"),
        ]
        for (kind, title) in groups {
            let entries = document.actions.filter { $0.kind == kind }
            guard !entries.isEmpty else { continue }
            lines.append("")
            lines.append("\(title) (\(entries.count))")
            for entry in entries {
                var line = "  \(marker(entry.status))\(document.rounds > 1 ? " [round \(entry.round)]" : "") request \(entry.requestId)"
                if let alertID = entry.alertId { line += ", alert \(alertID)" }
                line += ": \(entry.reason)"
                if entry.status != "planned" {
                    line += " [\(entry.status)\(entry.detail.map { ": \($0)" } ?? "")]"
                }
                lines.append(line)
            }
        }
        if !document.findings.isEmpty {
            lines.append("")
            lines.append("Findings (\(document.findings.count))")
            for finding in document.findings {
                var subject = finding.requestId.map { "request \($0)" } ?? ""
                if finding.requestId == nil, let alertID = finding.alertId { subject = "alert \(alertID)" }
                let prefix = finding.drift ? "! drift" : "- notice"
                lines.append("  \(prefix) \(finding.kind.rawValue)\(subject.isEmpty ? "" : " \(subject)"): \(finding.message)")
            }
        }
        lines.append("")
        lines.append(summary(document, mode: report.mode))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func marker(_ status: String) -> String {
        switch status {
        case "done": return "✓"
        case "failed": return "✗"
        case "skipped": return "-"
        default: return "+"
        }
    }

    private static func summary(_ document: ReportDocument, mode: RunReport.Mode) -> String {
        let counts = document.counts
        let writes = counts.createAlert + counts.approveRequest + counts.addNote + counts.closeAlert
        let notices = counts.findings - counts.drift
        let findings = "\(counts.drift) drift finding\(counts.drift == 1 ? "" : "s"), \(notices) notice\(notices == 1 ? "" : "s")"
        if writes == 0 {
            return document.inSync ? "In sync: nothing to change; \(findings)." : "Nothing to write, but \(findings)."
        }
        switch mode {
        case .plan:
            let parts = "\(counts.createAlert) alert(s) to create, \(counts.approveRequest) request(s) to approve, \(counts.addNote) note(s) to add, \(counts.closeAlert) alert(s) to close"
            return "Plan: \(parts); \(findings)."
        case .apply:
            let parts = "\(counts.createAlert) alert(s) created, \(counts.approveRequest) request(s) approved, \(counts.addNote) note(s) added, \(counts.closeAlert) alert(s) closed"
            let left = document.actions.filter { $0.round == document.rounds && $0.status == "planned" }.count
            let looks = "\(document.rounds) look\(document.rounds == 1 ? "" : "s")"
            let state = left > 0 ? "\(left) write(s) still needed after \(looks)" : "in agreement after \(looks)"
            return "Applied: \(parts); \(counts.failed) failed; \(state); \(findings)."
        }
    }
}
