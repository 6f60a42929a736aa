/// The values Teleport's plugin records about a request in its plugin data, so that the job
/// records the same: `user`, `roles` comma-joined, `created` as the request's creation time in
/// Unix seconds, and `request_reason`.
public enum PluginRecord {
    public static func requestKeys(_ request: AccessRequest) -> [String: String] {
        [PluginDataKey.user: request.user, PluginDataKey.roles: request.roles.joined(separator: ","),
         PluginDataKey.created: String(Int(request.created.timeIntervalSince1970.rounded(.down))),
         PluginDataKey.requestReason: request.requestReason]
    }
}
