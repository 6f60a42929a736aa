/// Every role, user and Access Monitoring Rule read from the manifests: the desired state the
/// reconciler enforces.
public struct ManifestSet: Sendable {
    public var roles: [String: Role]
    public var users: [String: User]
    /// The Access Monitoring Rules, by name. Read and checked; routing does not evaluate them yet.
    public var accessMonitoringRules: [String: AccessMonitoringRule]
    /// Resources of other kinds, by kind, which are skipped.
    public var skippedKinds: [String: Int]
    /// The files read, in the order they were read.
    public var files: [String]

    public init(roles: [Role] = [], users: [User] = [], accessMonitoringRules: [AccessMonitoringRule] = [], skippedKinds: [String: Int] = [:],
                files: [String] = []) {
        self.roles = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.users = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.accessMonitoringRules = Dictionary(accessMonitoringRules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.skippedKinds = skippedKinds
        self.files = files
    }
}
