import Foundation

/// What one run starts from, made from the settings before anything is connected or locked: the
/// configuration, the manifests it names, and for `apply --plan` the saved plan, already checked
/// against the backend the run writes to and its age. `Reconciler` runs it.
public struct RunSetup: Sendable {
    public var configuration: ReconcilerConfiguration
    public var manifests: ManifestSet
    public var saved: SavedPlanRun?

    public init(configuration: ReconcilerConfiguration, manifests: ManifestSet, saved: SavedPlanRun? = nil) {
        self.configuration = configuration
        self.manifests = manifests
        self.saved = saved
    }

    /// Reads the manifests `configuration` names and, given `savedPlan`, the saved plan file. A
    /// manifest or a plan that cannot be used stops the run here, with nothing connected.
    public static func load(_ configuration: ReconcilerConfiguration, alertBackend: AlertBackendID, savedPlan: String? = nil,
                            now: Date = Date()) throws -> RunSetup {
        let manifests = try ManifestLoader().load(path: configuration.manifestsPath)
        let saved = try savedPlan.map { path in
            try SavedPlanRun(plan: SavedPlan.read(path: path), source: path, alertBackend: alertBackend, maxAge: configuration.planMaxAge, now: now)
        }
        return RunSetup(configuration: configuration, manifests: manifests, saved: saved)
    }
}
