/// The alias convention shared with Teleport's alerting plugin: `teleport-access-request/<request-id>`.
public enum AlertAlias {
    public static let prefix = "teleport-access-request/"

    /// The alias for a request ID.
    public static func forRequest(_ requestID: String) -> String { prefix + requestID }

    /// The request ID an alias points at, or nil for aliases of other alerts.
    /// Byte-wise: the planner asks this of every alert, and Foundation's substring search was a
    /// measurable part of planning 100,000 requests.
    public static func requestID(from alias: String) -> String? {
        let bytes = alias.utf8
        guard bytes.count > prefixBytes.count, bytes.starts(with: prefixBytes) else { return nil }
        let id = bytes.dropFirst(prefixBytes.count)
        guard !id.contains(UInt8(ascii: "/")) else { return nil }
        return String(Substring(id))
    }

    private static let prefixBytes = Array(prefix.utf8)
}
