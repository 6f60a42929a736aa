/// The tag and detail keys that mark an alert as the job's and name its cluster and request.
public enum AlertDetails {
    public static let managedBy = "managed-by"
    public static let cluster = "teleport-cluster"
    public static let requestID = "teleport-request-id"
    public static let user = "teleport-user"
    public static let roles = "teleport-roles"

    /// The tag that names the cluster on the job's alerts, so that a listing by tag returns this
    /// cluster's alerts only (listings carry no details). A tag longer than the backend keeps
    /// (`limit`) names the cluster by a stable hash of its name instead.
    public static func clusterTag(_ cluster: String, limit: Int = 50) -> String {
        let tag = "teleport-cluster:" + cluster
        if tag.utf16.count <= limit { return tag }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in cluster.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "teleport-cluster:" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The details recorded on a new alert.
    public static func forRequest(_ request: AccessRequest, cluster: String, ownerTag: String) -> [String: String] {
        [managedBy: ownerTag, self.cluster: cluster, requestID: request.id, user: request.user,
         roles: request.roles.joined(separator: ",")]
    }

    /// Whether an alert belongs to `cluster`. Alerts without the detail (created by Teleport's own
    /// plugin) are taken to belong to the cluster whose request they name.
    public static func belongs(_ alert: Alert, to cluster: String) -> Bool {
        guard let recorded = alert.details[self.cluster], !recorded.isEmpty else { return true }
        return recorded == cluster
    }
}
