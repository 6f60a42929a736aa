/// The tag and detail keys that mark an alert as the job's and name its cluster and request.
public enum AlertDetails {
    public static let managedBy = "managed-by"
    public static let cluster = "teleport-cluster"
    public static let requestID = "teleport-request-id"
    public static let user = "teleport-user"
    public static let roles = "teleport-roles"

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
