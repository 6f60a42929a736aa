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
            (.createAlert, "Create alert"), (.recordAlert, "Record alert in plugin data"), (.approveRequest, "Approve request"),
            (.addNote, "Add note"), (.closeAlert, "Close alert"), (.recordResolution, "Record resolution in plugin data"),
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
                if entry.status != .planned {
                    line += " [\(entry.status.rawValue)\(entry.detail.map { ": \($0)" } ?? "")]"
                }
                lines.append(line)
            }
        }
        if let saved = document.savedPlan {
            lines.append("")
            lines.append("Saved plan \(saved.file) (made \(saved.generatedAt), \(saved.actions) action(s)): \(saved.stale.count) stale, skipped")
            for action in saved.stale {
                lines.append("  - \(action.kind.rawValue) request \(action.requestId)\(action.alertId.map { ", alert \($0)" } ?? ""): no longer planned by the fresh look")
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

    private static func marker(_ status: ReportDocument.Status) -> String {
        switch status {
        case .done: return "✓"
        case .failed: return "✗"
        case .skipped: return "-"
        case .planned: return "+"
        }
    }

    /// The writes of one status, by kind, in words ("1 alert(s) created, 2 note(s) added"); kinds
    /// with none are left out.
    private static func phrase(_ counts: ReportDocument.Counts, _ status: ReportDocument.Status, planned: Bool) -> String {
        let words: [(PlannedAction.Kind, String, String)] = [
            (.createAlert, "alert(s)", planned ? "to create" : "created"),
            (.recordAlert, "alert record(s)", planned ? "to write" : "written"),
            (.approveRequest, "request(s)", planned ? "to approve" : "approved"),
            (.addNote, "note(s)", planned ? "to add" : "added"),
            (.closeAlert, "alert(s)", planned ? "to close" : "closed"),
            (.recordResolution, "resolution record(s)", planned ? "to write" : "written"),
        ]
        let parts = words.filter { counts.count($0.0, status) > 0 }.map { kind, noun, verb in "\(counts.count(kind, status)) \(noun) \(verb)" }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }

    private static func summary(_ document: ReportDocument, mode: RunReport.Mode) -> String {
        let counts = document.counts
        let notices = counts.findings - counts.drift
        let findings = "\(counts.drift) drift finding\(counts.drift == 1 ? "" : "s"), \(notices) notice\(notices == 1 ? "" : "s")"
        let attempted = counts.total(.done) + counts.total(.failed) + counts.total(.skipped)
        if attempted + counts.total(.planned) == 0 {
            return document.inSync ? "In sync: nothing to change; \(findings)." : "Nothing to write, but \(findings)."
        }
        switch mode {
        case .plan:
            return "Plan: \(phrase(counts, .planned, planned: true)); \(findings)."
        case .apply:
            var parts = ["Applied: \(phrase(counts, .done, planned: false))"]
            for status in [ReportDocument.Status.failed, .skipped] where counts.total(status) > 0 {
                let kinds = PlannedAction.Kind.allCases.filter { counts.count($0, status) > 0 }.map { "\(counts.count($0, status)) \($0.rawValue)" }
                parts.append("\(counts.total(status)) \(status.rawValue) (\(kinds.joined(separator: ", ")))")
            }
            let left = counts.total(.planned)
            let looks = "\(document.rounds) look\(document.rounds == 1 ? "" : "s")"
            if let reason = document.stoppedBecause {
                parts.append("stopped early: \(reason); the next run continues")
            } else if counts.total(.failed) > 0 {
                parts.append("stopped after \(looks) because a write failed; the next run tries again")
            } else if left > 0, let saved = document.savedPlan {
                parts.append("\(saved.stale.count) saved action(s) stale; \(left) write(s) the saved plan does not hold remain (see `plan`)")
            } else if left > 0 {
                parts.append("\(left) write(s) still needed after \(looks)")
            } else if let saved = document.savedPlan {
                parts.append("\(saved.stale.count) saved action(s) stale; in agreement after \(looks)")
            } else if document.findings.contains(where: { $0.kind == .lookupFailed }) {
                parts.append("not every request could be looked at after \(looks)")
            } else {
                parts.append("in agreement after \(looks)")
            }
            let throttled = (document.pacing ?? []).filter { $0.throttles > 0 }.map {
                "\($0.bucket) throttled \($0.throttles) time(s), pace settled at \(Self.rate($0.pace))/s"
            }
            return parts.joined(separator: "; ") + "; \(findings)." + (throttled.isEmpty ? "" : " " + throttled.joined(separator: "; ") + ".")
        }
    }

    private static func rate(_ value: Double) -> String { "\((value * 10).rounded() / 10)" }
}
