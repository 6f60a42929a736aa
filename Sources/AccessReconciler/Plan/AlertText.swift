import Foundation

/// The texts of alerts and notes, worded like Teleport's plugin so that alerts look the same
/// whichever of the two created them.
public enum AlertText {
    public static func message(user: String) -> String { "Access request from \(user)" }

    public static func description(for request: AccessRequest, webProxyURL: URL?) -> String {
        var lines = ["\(request.user) requested permissions for roles \(request.roles.joined(separator: ", ")) on Teleport at \(rfc822(request.created))."]
        if !request.requestReason.isEmpty { lines.append("Reason: \(request.requestReason)") }
        if let link = requestLink(request.id, webProxyURL: webProxyURL) {
            lines.append("To approve or deny the request, proceed to \(link)")
        }
        return lines.joined(separator: "\n")
    }

    public static func reviewNote(_ review: AccessReview) -> String {
        var lines = ["\(review.author) reviewed the request at \(rfc822(review.created)).",
                     "Resolution: \(review.proposedState)."]
        if !review.reason.isEmpty { lines.append("Reason: \(review.reason).") }
        return lines.joined(separator: "\n")
    }

    public static func resolutionNote(_ resolution: Resolution, reason: String) -> String {
        var lines = ["Access request has been \(resolution.rawValue)"]
        if !reason.isEmpty { lines.append("Reason: \(reason)") }
        return lines.joined(separator: "\n")
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
