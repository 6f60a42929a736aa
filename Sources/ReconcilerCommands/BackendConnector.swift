import AccessReconciler
import Foundation
import JSMClient
import OpsgenieClient
import TeleportClient

/// Builds the network clients the settings name: Teleport, and the chosen alert backend. Every
/// setting is checked, and the identity and key files read, before any connection to either side,
/// so a missing or expired one is reported without touching them.
enum BackendConnector {
    /// The clients for `setup`'s run; the job's Teleport user becomes the setup's reviewer.
    static func connect(_ settings: RunSettings, into setup: inout RunSetup) async throws
        -> (backends: Backends, close: @Sendable (Duration) async -> Void) {
        let teleportConfiguration = try settings.teleport.configuration()
        let alerts = try await alertBackend(settings)
        let teleport = try TeleportAccessRequests(configuration: teleportConfiguration)
        // Teleport records the caller as a review's author and refuses any other name.
        setup.configuration.autoApproval.reviewer = teleport.reviewer
        return (Backends(requests: teleport, alerts: alerts), { await teleport.close(grace: $0) })
    }

    /// The alert backend the settings choose, with its key or token read.
    static func alertBackend(_ settings: RunSettings) async throws -> any AlertServicePreflight {
        switch settings.backend {
        case .opsgenie: return OpsgenieAlertBackend(configuration: try settings.opsgenie.configuration())
        case .jsm: return JSMAlertBackend(configuration: try await settings.jsm.configuration())
        }
    }
}
