import Foundation

/// The JSON report written in pieces, byte for byte what `ReportDocument.jsonData()` gives.
///
/// A catch-up of 10,000 requests reports about 14,000 actions: the whole document, its encoder's
/// tree and the tens of megabytes of text were held at once at the very end of the run, its
/// highest point of memory. Here each action is encoded alone, indented to its place in the list,
/// and handed on in chunks. `actions` is the document's first key in sorted order and `cluster`,
/// which is never absent, its second: the rest of the document is encoded without the actions and
/// joined on from `cluster` on.
public enum StreamedReportJSON {
    /// Bytes gathered before they are handed to `sink`.
    static let chunkSize = 64 * 1024

    public static func write(_ report: RunReport, to sink: (Data) throws -> Void) throws {
        let encoder = ReportDocument.encoder()
        let rest = try encoder.encode(ReportDocument(report, actions: false))
        guard report.rounds.contains(where: { !$0.plan.actions.isEmpty }) else {
            try sink(rest + Data("\n".utf8))
            return
        }
        guard let cluster = rest.range(of: Data(",\n  \"cluster\" : ".utf8)) else {
            // Not the encoder's usual layout: the whole document at once, as before.
            try sink(try encoder.encode(ReportDocument(report)) + Data("\n".utf8))
            return
        }
        var buffer = Data("{\n  \"actions\" : [\n".utf8)
        var first = true
        try ReportDocument.forEachAction(of: report) { action in
            if !first { buffer.append(contentsOf: ",\n".utf8) }
            first = false
            let encoded = try encoder.encode(action)
            for line in encoded.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                if line.startIndex != encoded.startIndex { buffer.append(UInt8(ascii: "\n")) }
                buffer.append(contentsOf: "    ".utf8)
                buffer.append(contentsOf: line)
            }
            if buffer.count >= chunkSize {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(contentsOf: "\n  ]".utf8)
        buffer.append(rest[cluster.lowerBound...])
        buffer.append(UInt8(ascii: "\n"))
        try sink(buffer)
    }
}
