import AccessReconciler
import Foundation
import OpsgenieClient

/// Builds the network clients the configuration names. Every setting is checked before any
/// connection, so a missing one is reported without touching either side.
enum BackendConnector {
    static func connect(_ configuration: ReconcilerConfiguration) throws -> Backends {
        guard configuration.teleportAddress != nil else {
            throw ConfigurationError.missing("the Teleport address: set --teleport-addr or TELEPORT_ADDR")
        }
        guard configuration.teleportIdentityFile != nil else {
            throw ConfigurationError.missing("the Teleport identity file: set --teleport-identity or TELEPORT_IDENTITY_FILE")
        }
        let alerts = OpsgenieAlertBackend(configuration: OpsgenieConfiguration(
            baseURL: configuration.opsgenieURL, apiKey: try configuration.resolveOpsgenieAPIKey()))
        _ = alerts
        throw BackendUnavailable(what: "the Teleport gRPC client",
                                 hint: "this build reaches Opsgenie but not yet Teleport; `validate` works offline")
    }
}

/// A backend this build does not include.
struct BackendUnavailable: Error, CustomStringConvertible {
    var what: String
    var hint: String

    var description: String { "\(what) is not part of this build: \(hint)" }
}
