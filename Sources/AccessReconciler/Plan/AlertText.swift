import Foundation

/// The texts of alerts and notes, byte for byte what Teleport's plugin's templates produce
/// (its alerting client's templates), so that alerts look the same whichever of the two created
/// them, on either backend. The one difference: a reason, which is a person's own words (the
/// requester's, or a reviewer's), is cut at `reasonLimit` characters, so that nobody can fill an
/// on-call engineer's page with text of their choosing.
public enum AlertText {
    /// The most characters of one reason an alert or note carries.
    public static let reasonLimit = 1_000

    /// `text` as it is when within `reasonLimit`, otherwise its start and how much was cut.
    public static func limitedReason(_ text: String) -> String {
        guard text.count > reasonLimit else { return text }
        return String(text.prefix(reasonLimit)) + " [\(text.count - reasonLimit) more characters cut]"
    }

    public static func message(user: String) -> String { "Access request from \(user)" }

    /// The description as the plugin's template writes it: three lines, each ending in a newline,
    /// the second and third empty when there is no reason or no link.
    public static func description(for request: AccessRequest, webProxyURL: URL?) -> String {
        let first = "\(request.user) requested permissions for roles \(request.roles.joined(separator: ", ")) on Teleport at \(rfc822(request.created))."
        let reason = request.requestReason.isEmpty ? "" : "Reason: \(limitedReason(request.requestReason))"
        let link = requestLink(request.id, webProxyURL: webProxyURL).map { "To approve or deny the request, proceed to \($0)" } ?? ""
        return first + "\n" + reason + "\n" + link + "\n"
    }

    /// A review note as the plugin writes it: no newline after the last line, and the reason line
    /// empty when the review has no reason.
    public static func reviewNote(_ review: AccessReview) -> String {
        "\(review.author) reviewed the request at \(rfc822(review.created)).\nResolution: \(review.proposedState).\n"
            + (review.reason.isEmpty ? "" : "Reason: \(limitedReason(review.reason)).")
    }

    /// The close note as the plugin writes it: the reason line empty when there is no reason.
    public static func resolutionNote(_ resolution: Resolution, reason: String) -> String {
        "Access request has been \(resolution.rawValue)\n" + (reason.isEmpty ? "" : "Reason: \(limitedReason(reason))")
    }

    /// `<web-proxy>/web/requests/<id>`, the request's page in Teleport's web UI.
    public static func requestLink(_ requestID: String, webProxyURL: URL?) -> String? {
        guard let webProxyURL else { return nil }
        var base = webProxyURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let id = requestID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? requestID
        return "\(base)/web/requests/\(id)"
    }

    /// Go's RFC 822 layout (`02 Jan 06 15:04 UTC`), which Teleport's plugin uses in its texts.
    /// Computed from the Unix time (proleptic Gregorian calendar, UTC): a Calendar lookup for
    /// every alert was a measurable part of planning a large catch-up.
    public static func rfc822(_ date: Date) -> String {
        // Clamped so that no date, however far off, traps the conversion (±300,000 years).
        let seconds = Int(min(max(date.timeIntervalSince1970, -1e13), 1e13).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let shortYear = ((year % 100) + 100) % 100
        return "\(two(day)) \(months[month - 1]) \(two(shortYear)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)) UTC"
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Year, month (1–12) and day of a count of days since 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
