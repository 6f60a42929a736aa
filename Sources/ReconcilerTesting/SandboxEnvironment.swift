import AccessReconciler
import Foundation
import OpsgenieClient
import TeleportClient

/// Both fakes on loopback, seeded from a scenario, with an identity file and an API key for the
/// job: what the `sandbox` command, the end-to-end tests and the benchmark run the real clients
/// against.
public final class SandboxEnvironment: Sendable {
    public let teleport: FakeTeleport
    public let opsgenie: FakeOpsgenie
    /// The job's identity file (user `access-reconciler`).
    public let identityFile: String
    public let apiKey: Secret
    public let opsgenieURL: URL
    /// The scenario as seeded, moved to the time the environment started.
    public let scenario: Scenario

    /// The job's Teleport user.
    public static let jobUser = "access-reconciler"

    /// Starts the fakes and seeds them from `scenario`, moved in time to `now`.
    public static func start(scenario original: Scenario, now: Date = Date(), opsgenieFaults: FakeOpsgenieFaults = FakeOpsgenieFaults()) async throws -> SandboxEnvironment {
        let scenario = original.shifted(to: now)
        let teleport = try await FakeTeleport.start(cluster: scenario.cluster)
        await teleport.state.seed(scenario.requests)
        await teleport.state.seedPluginData(scenario.pluginData)
        let apiKey = "sandbox-" + UUID().uuidString
        let opsgenie = try await FakeOpsgenie.start(apiKey: apiKey, faults: opsgenieFaults)
        for (schedule, recipients) in scenario.onCall.sorted(by: { $0.key < $1.key }) {
            await opsgenie.addSchedule(name: schedule, recipients: recipients)
        }
        for alert in scenario.alerts {
            await opsgenie.seed(FakeOpsgenieAlert(
                id: alert.id, alias: alert.alias, message: alert.message, status: alert.status.rawValue, tags: alert.tags,
                details: alert.details,
                responders: alert.responders.map { responder in
                    var entry = ["type": responder.kind.rawValue]
                    if let id = responder.id { entry["id"] = id }
                    if let name = responder.name { entry["name"] = name }
                    return entry
                },
                createdAt: alert.createdAt, count: alert.count))
        }
        let identityFile = try teleport.identityFile(user: jobUser, validFor: 4 * 3600)
        return SandboxEnvironment(teleport: teleport, opsgenie: opsgenie, identityFile: identityFile, apiKey: Secret(apiKey),
                                  opsgenieURL: await opsgenie.baseURL, scenario: scenario)
    }

    private init(teleport: FakeTeleport, opsgenie: FakeOpsgenie, identityFile: String, apiKey: Secret, opsgenieURL: URL, scenario: Scenario) {
        self.teleport = teleport
        self.opsgenie = opsgenie
        self.identityFile = identityFile
        self.apiKey = apiKey
        self.opsgenieURL = opsgenieURL
        self.scenario = scenario
    }

    /// The job's settings for this environment: the fakes' addresses, the identity and the key.
    public func configuration(base: ReconcilerConfiguration = ReconcilerConfiguration()) -> ReconcilerConfiguration {
        var configuration = base
        configuration.teleportAddress = teleport.address
        configuration.teleportIdentityFile = identityFile
        configuration.teleportRoute = "auth"
        configuration.opsgenieURL = opsgenieURL
        configuration.opsgenieAPIKey = apiKey
        if configuration.autoApproval.reviewer == nil { configuration.autoApproval.reviewer = Self.jobUser }
        return configuration
    }

    /// The real clients, connected to the fakes. `tune` adjusts the Opsgenie client (rates, retries);
    /// `identityFile` replaces the job's identity.
    public func clients(identityFile: String? = nil, tune: (inout OpsgenieConfiguration) -> Void = { _ in }) throws
        -> (teleport: TeleportAccessRequests, opsgenie: OpsgenieAlertBackend) {
        var teleportConfiguration = teleport.clientConfiguration(identityFile: identityFile ?? self.identityFile)
        teleportConfiguration.attempts = 3
        var opsgenieConfiguration = OpsgenieConfiguration(baseURL: opsgenieURL, apiKey: apiKey)
        opsgenieConfiguration.statusPollInterval = .milliseconds(20)
        opsgenieConfiguration.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        tune(&opsgenieConfiguration)
        return (try TeleportAccessRequests(configuration: teleportConfiguration), OpsgenieAlertBackend(configuration: opsgenieConfiguration))
    }

    public func stop() async {
        await opsgenie.stop()
        await teleport.stop()
    }
}
