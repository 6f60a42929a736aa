import Foundation

/// What `check` asks of the Teleport side: read-only calls, each answered with what it proved.
/// The gRPC client implements it; nothing here writes.
public protocol TeleportPreflight: Sendable {
    /// The job's identity as its certificate states it (no call).
    var identitySummary: PreflightIdentity { get }
    /// Where the job connects, and how (`auth.example.com:3025, straight to the Auth Service`).
    var route: String { get }
    /// Ping: the cluster's name and Teleport's version; throws when Teleport cannot be reached or
    /// is older than the job supports.
    func serverInfo() async throws -> (cluster: String, version: String)
    /// One page of one access request: whether the identity may list access requests.
    func probeRequestListing() async -> ProbeOutcome
    /// The plugin data of `plugin`: whether the identity may read it.
    func probePluginData(plugin: String) async -> ProbeOutcome
    /// One of the identity's own roles as the cluster has it (Teleport lets a user read the roles
    /// it holds), reduced to its rules and review conditions; nil when the cluster has no such role.
    func role(named name: String) async throws -> Role?
}

/// The job's Teleport identity, from its certificate.
public struct PreflightIdentity: Sendable, Hashable {
    public var user: String
    /// The roles the certificate carries (Teleport writes them into the subject's organization).
    public var roles: [String]
    public var expires: Date
    /// The identity file, for messages.
    public var source: String

    public init(user: String, roles: [String], expires: Date, source: String) {
        self.user = user
        self.roles = roles
        self.expires = expires
        self.source = source
    }
}
