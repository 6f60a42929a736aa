import Foundation

/// The texts of alerts and notes, byte for byte what Teleport's plugin's templates produce
/// (its alerting client's templates), so that alerts look the same whichever of the two created
/// them, on either backend.
public enum AlertText {
    public static func message(user: String) -> String { "Access request from \(user)" }

    /// The description as the plugin's template writes it: three lines, each ending in a newline,
    /// the second and third empty when there is no reason or no link.
    public static func description(for request: AccessRequest, webProxyURL: URL?) -> String {
        let first = "\(request.user) requested permissions for roles \(request.roles.joined(separator: ", ")) on Teleport at \(rfc822(request.created))."
        let reason = request.requestReason.isEmpty ? "" : "Reason: \(request.requestReason)"
        let link = requestLink(request.id, webProxyURL: webProxyURL).map { "To approve or deny the request, proceed to \($0)" } ?? ""
        return first + "\n" + reason + "\n" + link + "\n"
    }

    /// A review note as the plugin writes it: no newline after the last line, and the reason line
    /// empty when the review has no reason.
    public static func reviewNote(_ review: AccessReview) -> String {
        "\(review.author) reviewed the request at \(rfc822(review.created)).\nResolution: \(review.proposedState).\n"
            + (review.reason.isEmpty ? "" : "Reason: \(review.reason).")
    }

    /// The close note as the plugin writes it: the reason line empty when there is no reason.
    public static func resolutionNote(_ resolution: Resolution, reason: String) -> String {
        "Access request has been \(resolution.rawValue)\n" + (reason.isEmpty ? "" : "Reason: \(reason)")
    }

    /// `<web-proxy>/web/requests/<id>`, the request's page in Teleport's web UI.
    public static func requestLink(_ requestID: String, webProxyURL: URL?) -> String? {
        guard let webProxyURL else { return nil }
        var base = webProxyURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let id = requestID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? requestID
        return "\(base)/web/requests/\(id)"
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Go's RFC 822 layout (`02 Jan 06 15:04 UTC`), which Teleport's plugin uses in its texts.
    public static func rfc822(_ date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(two((parts.year ?? 0) % 100)) \(two(parts.hour)):\(two(parts.minute)) UTC"
    }
}
