/// The two sides a run talks to, built from the configuration.
public struct Backends: Sendable {
    public var requests: any AccessRequestPort
    public var alerts: any AlertBackend

    public init(requests: any AccessRequestPort, alerts: any AlertBackend) {
        self.requests = requests
        self.alerts = alerts
    }

    /// Builds the network clients the configuration names. The checks here run before any
    /// connection, so a missing setting is reported without touching either side.
    public static func connect(_ configuration: ReconcilerConfiguration) throws -> Backends {
        guard configuration.teleportAddress != nil else {
            throw ConfigurationError.missing("the Teleport address: set --teleport-addr or TELEPORT_ADDR")
        }
        guard configuration.teleportIdentityFile != nil else {
            throw ConfigurationError.missing("the Teleport identity file: set --teleport-identity or TELEPORT_IDENTITY_FILE")
        }
        _ = try configuration.resolveOpsgenieAPIKey()
        throw BackendUnavailable(
            what: "the Teleport gRPC client and the Opsgenie HTTP client",
            hint: "this build plans and validates offline only; `validate` works, `plan` and `apply` need the network clients")
    }
}

/// A backend this build does not include.
public struct BackendUnavailable: Error, Sendable, CustomStringConvertible {
    public var what: String
    public var hint: String

    public var description: String { "\(what) are not part of this build: \(hint)" }
}
