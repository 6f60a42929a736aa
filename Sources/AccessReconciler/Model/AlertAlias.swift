/// The alias convention shared with Teleport's alerting plugin: `teleport-access-request/<request-id>`.
public enum AlertAlias {
    public static let prefix = "teleport-access-request/"

    /// The alias for a request ID.
    public static func forRequest(_ requestID: String) -> String { prefix + requestID }

    /// The request ID an alias points at, or nil for aliases of other alerts.
    public static func requestID(from alias: String) -> String? {
        guard alias.hasPrefix(prefix) else { return nil }
        let id = String(alias.dropFirst(prefix.count))
        return id.isEmpty || id.contains("/") ? nil : id
    }
}
