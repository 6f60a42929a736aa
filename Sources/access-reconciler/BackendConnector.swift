import AccessReconciler
import Foundation
import OpsgenieClient
import TeleportClient

/// Builds the network clients the configuration names. Every setting is checked, and the identity
/// file read, before any connection, so a missing or expired one is reported without touching
/// either side.
enum BackendConnector {
    static func connect(_ configuration: inout ReconcilerConfiguration) throws -> (backends: Backends, close: @Sendable () async -> Void) {
        guard let address = configuration.teleportAddress else {
            throw ConfigurationError.missing("the Teleport address: set --teleport-addr or TELEPORT_ADDR")
        }
        guard let identityFile = configuration.teleportIdentityFile else {
            throw ConfigurationError.missing("the Teleport identity file: set --teleport-identity or TELEPORT_IDENTITY_FILE")
        }
        var teleportConfiguration = TeleportClientConfiguration(address: address, identityFile: identityFile)
        teleportConfiguration.route = TeleportClientConfiguration.Route(rawValue: configuration.teleportRoute) ?? .automatic
        teleportConfiguration.clusterName = configuration.teleportCluster
        let apiKey = try configuration.resolveOpsgenieAPIKey()
        let teleport = try TeleportAccessRequests(configuration: teleportConfiguration)
        // The job reviews as the identity's user unless told otherwise.
        if configuration.autoApproval.reviewer == nil { configuration.autoApproval.reviewer = teleport.reviewer }
        var opsgenieConfiguration = OpsgenieConfiguration(baseURL: configuration.opsgenieURL, apiKey: apiKey)
        if let rate = configuration.opsgenieWriteRate { opsgenieConfiguration.rateLimits[.alertWrite] = rate }
        if let rate = configuration.opsgenieReadRate { opsgenieConfiguration.rateLimits[.alertRead] = rate }
        if let rate = configuration.opsgenieScheduleRate { opsgenieConfiguration.rateLimits[.schedule] = rate }
        if let concurrency = configuration.opsgenieConcurrency { opsgenieConfiguration.maxConcurrentRequests = concurrency }
        let opsgenie = OpsgenieAlertBackend(configuration: opsgenieConfiguration)
        return (Backends(requests: teleport, alerts: opsgenie), { await teleport.close() })
    }
}
