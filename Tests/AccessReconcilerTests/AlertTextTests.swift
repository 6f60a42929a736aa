import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

@Suite("Alert texts and aliases")
struct AlertTextTests {
    /// Go's `02 Jan 06 15:04 UTC` as Foundation's formatter writes it, the reference for the
    /// job's own arithmetic.
    static let reference: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "dd MMM yy HH:mm 'UTC'"
        return formatter
    }()

    @Test("RFC 822 times agree with a Gregorian calendar: leap days, year and century ends, before 1970")
    func rfc822MatchesTheCalendar() async throws {
        let fixed: [(String, String)] = [
            ("1970-01-01T00:00:00Z", "01 Jan 70 00:00 UTC"),
            ("1969-12-31T23:59:59Z", "31 Dec 69 23:59 UTC"),
            ("2000-02-29T12:34:56Z", "29 Feb 00 12:34 UTC"),
            ("2024-02-29T23:59:00Z", "29 Feb 24 23:59 UTC"),
            ("2100-03-01T00:00:00Z", "01 Mar 00 00:00 UTC"),
            ("2026-11-25T07:30:00Z", "25 Nov 26 07:30 UTC"),
        ]
        for (iso, expected) in fixed {
            #expect(AlertText.rfc822(ISO8601DateFormatter().date(from: iso)!) == expected, "\(iso)")
        }
        // Every 3 days, 7 hours and 13 minutes from 1900 to 2200, and every 61 minutes for three
        // days either side of the leap day and the year's end of the years where the rules turn,
        // on a thread of its own (`OwnThread`).
        let mismatches = try await OwnThread.run { () -> [String] in
            var instants = Array(stride(from: -2_208_988_800.0, to: 7_258_118_400, by: 285_180.5))
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            for year in [1900, 1969, 1970, 1999, 2000, 2023, 2024, 2099, 2100, 2199] {
                for (month, yearOffset) in [(3, 0), (1, 1)] {
                    let turn = utc.date(from: DateComponents(year: year + yearOffset, month: month, day: 1))!.timeIntervalSince1970
                    instants += stride(from: turn - 3 * 86_400, to: turn + 3 * 86_400, by: 3_660)
                }
            }
            var found: [String] = []
            for seconds in instants where found.count < 5 {
                let date = Date(timeIntervalSince1970: seconds)
                let expected = Self.reference.string(from: date)
                if AlertText.rfc822(date) != expected { found.append("\(seconds): \(AlertText.rfc822(date)) != \(expected)") }
            }
            return found
        }
        #expect(mismatches.isEmpty)
    }

    @Test("a reason is written as the plugin writes it up to 1,000 characters, and cut after that, in the description and in both notes")
    func reasonsAreLimited() {
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        let short = "need it for the migration\nline two"
        let long = String(repeating: "x", count: 5_000)
        func description(_ reason: String) -> String {
            AlertText.description(for: AccessRequest(id: "r1", user: "alice@example.com", roles: ["editor"], created: created, requestReason: reason),
                                  webProxyURL: nil)
        }
        #expect(description(short) == "alice@example.com requested permissions for roles editor on Teleport at \(AlertText.rfc822(created)).\nReason: \(short)\n\n")
        let cut = description(long)
        #expect(cut.contains("Reason: " + String(repeating: "x", count: 1_000) + " [4000 more characters cut]\n"))
        #expect(!cut.contains(String(repeating: "x", count: 1_001)))
        let note = AlertText.reviewNote(AccessReview(author: "lead@example.com", proposedState: .approved, reason: long, created: created))
        #expect(note.hasSuffix(" [4000 more characters cut]."))
        #expect(AlertText.resolutionNote(.approved, reason: long).hasSuffix(" [4000 more characters cut]"))
        #expect(AlertText.resolutionNote(.approved, reason: short) == "Access request has been approved\nReason: \(short)")
    }

    @Test("an alias names a request only with the shared prefix and one path segment after it")
    func aliasParsing() {
        #expect(AlertAlias.requestID(from: "teleport-access-request/0d4c5e9a-1") == "0d4c5e9a-1")
        #expect(AlertAlias.requestID(from: AlertAlias.forRequest("r1")) == "r1")
        #expect(AlertAlias.requestID(from: "teleport-access-request/") == nil)
        #expect(AlertAlias.requestID(from: "teleport-access-request/a/b") == nil)
        #expect(AlertAlias.requestID(from: "teleport-access-request") == nil)
        #expect(AlertAlias.requestID(from: "other/r1") == nil)
        #expect(AlertAlias.requestID(from: "Teleport-Access-Request/r1") == nil)
        #expect(AlertAlias.requestID(from: "teleport-access-request/ünïcode") == "ünïcode")
    }
}
