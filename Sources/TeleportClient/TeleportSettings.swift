import AccessReconciler
import Foundation

/// How the job reaches Teleport: the address, the identity file, the route and the cluster,
/// declared here beside the client they build, so that the core knows nothing of them. (Teleport's
/// web address stays the core's: it is a link in each alert, not a way to the cluster.)
public struct TeleportSettings: Sendable {
    /// Teleport Auth Service or Proxy address (`host:port`).
    public var address: String?
    /// Identity file from `tctl auth sign --format=file` or Machine ID.
    public var identityFile: String?
    /// `auto` (port 3025 is the Auth Service, any other a Proxy), `auth` or `proxy`.
    public var route = TeleportRoute.automatic
    /// The cluster a Proxy routes to; by default the one that issued the identity.
    public var cluster: String?

    public init() {}

    public typealias Entry = Setting<TeleportSettings>

    public static let settings: [Entry] = [
        Entry(.init(key: "teleport.addr", flag: "--teleport-addr", environment: "TELEPORT_ADDR", valueName: "HOST:PORT",
                    help: "Teleport Auth Service or Proxy address.")) {
            $0.address = try $1.nonEmpty("host:port")
        },
        Entry(.init(key: "teleport.identity_file", flag: "--teleport-identity", environment: "TELEPORT_IDENTITY_FILE", shape: .path,
                    valueName: "FILE", help: "Identity file from `tctl auth sign --format=file` or Machine ID.")) {
            $0.identityFile = try $1.nonEmpty("a file path")
        },
        Entry(.init(key: "teleport.route", flag: "--teleport-route", environment: "TELEPORT_ROUTE", valueName: "auto|auth|proxy",
                    default: SettingDeclaration.shown(TeleportSettings().route.rawValue), help: "How to reach the Auth Service: `auto` takes port 3025 for the Auth Service and any other for a Proxy with TLS routing.")) {
            $0.route = try $1.choice(of: TeleportRoute.self)
        },
        Entry(.init(key: "teleport.cluster", flag: "--teleport-cluster", environment: "TELEPORT_CLUSTER", valueName: "NAME",
                    default: "the identity's cluster", help: "The cluster a Proxy routes to.")) {
            $0.cluster = try $1.nonEmpty("a cluster name")
        },
    ]

    /// The client's configuration; the address and the identity file must be given.
    public func configuration() throws -> TeleportClientConfiguration {
        guard let address else {
            throw ConfigurationError.missing("the Teleport address: set \(Self.settings.howToSet("teleport.addr"))")
        }
        guard let identityFile else {
            throw ConfigurationError.missing("the Teleport identity file: set \(Self.settings.howToSet("teleport.identity_file"))")
        }
        var configuration = TeleportClientConfiguration(address: address, identityFile: identityFile)
        configuration.route = route
        configuration.clusterName = cluster
        return configuration
    }
}
