import AccessReconciler
import Foundation
import JSMClient
import OpsgenieClient
import TeleportClient

/// The alert backends the sandbox can stand in for: each one the job speaks.
public typealias SandboxBackend = AlertBackendID

/// The fakes on loopback (Teleport, Opsgenie and JSM Operations), seeded from a scenario, with an
/// identity file and credentials for the job: what the `sandbox` command, the end-to-end tests and
/// the benchmark run the real clients against.
public final class SandboxEnvironment: Sendable {
    public let teleport: FakeTeleport
    public let opsgenie: FakeOpsgenie
    public let jsm: FakeJSM
    /// The alert backend the job runs against here.
    public let backend: SandboxBackend
    /// The job's identity file (user `access-reconciler`).
    public let identityFile: String
    public let apiKey: Secret
    public let opsgenieURL: URL
    /// The scenario as seeded, moved to the time the environment started.
    public let scenario: Scenario

    /// The job's Teleport user.
    public static let jobUser = "access-reconciler"

    /// Starts the fakes and seeds them from `scenario`, moved in time to `now`; both alert fakes
    /// read listing queries with `queryGrammar`.
    public static func start(scenario original: Scenario, now: Date = Date(), backend: SandboxBackend = .opsgenie,
                             queryGrammar: FakeQueryGrammar = .documented,
                             opsgenieFaults: FakeServiceFaults = FakeServiceFaults()) async throws -> SandboxEnvironment {
        let scenario = original.shifted(to: now)
        let teleport = try await FakeTeleport.start(cluster: scenario.cluster)
        await teleport.state.seed(scenario.requests)
        await teleport.state.seedPluginData(scenario.pluginData)
        await teleport.state.seedUsers(scenario.users)
        let apiKey = "sandbox-" + UUID().uuidString
        let opsgenie = try await FakeOpsgenie.start(apiKey: apiKey, faults: backend == .opsgenie ? opsgenieFaults : FakeServiceFaults())
        for (schedule, recipients) in scenario.onCall.sorted(by: { $0.key < $1.key }) {
            await opsgenie.addSchedule(name: schedule, recipients: recipients)
        }
        for alert in scenario.alerts {
            await opsgenie.seed(FakeAlert(
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
        let jsm = try await FakeJSM.start(user: jsmUser, apiToken: apiKey, faults: backend == .jsm ? opsgenieFaults : FakeServiceFaults())
        await opsgenie.setQueryGrammar(queryGrammar)
        await jsm.setQueryGrammar(queryGrammar)
        await seedJSM(jsm, from: scenario)
        let identityFile = try teleport.identityFile(user: jobUser, validFor: 4 * 3600)
        return SandboxEnvironment(teleport: teleport, opsgenie: opsgenie, jsm: jsm, backend: backend, identityFile: identityFile,
                                  apiKey: Secret(apiKey), opsgenieURL: await opsgenie.baseURL, scenario: scenario)
    }

    /// The account the job uses against the fake JSM.
    public static let jsmUser = "access-reconciler@example.com"

    /// JSM knows schedules and teams by id only: every schedule and team the scenario names (in
    /// on-call lists and request annotations) exists in the fake, with the same people on call.
    private static func seedJSM(_ jsm: FakeJSM, from scenario: Scenario) async {
        var schedules = Set(scenario.onCall.keys)
        var teams = Set<String>()
        for request in scenario.requests {
            schedules.formUnion(request.systemAnnotations[RequestAnnotation.notifyServices] ?? [])
            schedules.formUnion(request.systemAnnotations[RequestAnnotation.schedules] ?? [])
            teams.formUnion(request.systemAnnotations[RequestAnnotation.teams] ?? [])
        }
        for schedule in schedules.sorted() { await jsm.addSchedule(name: schedule, onCall: scenario.onCall[schedule] ?? []) }
        for team in teams.sorted() { await jsm.addTeam(name: team) }
        for alert in scenario.alerts {
            var responders: [[String: String]] = []
            for responder in alert.responders {
                var id = responder.id
                if id == nil, let name = responder.name {
                    switch responder.kind {
                    case .schedule: id = await jsm.schedule(named: name)?.id
                    case .team: id = await jsm.teamID(named: name)
                    default: break
                    }
                }
                if let id { responders.append(["type": responder.kind.rawValue, "id": id]) }
            }
            await jsm.seed(FakeAlert(id: alert.id, alias: alert.alias, message: alert.message, status: alert.status.rawValue,
                                             tags: alert.tags, details: alert.details, responders: responders, createdAt: alert.createdAt,
                                             count: alert.count))
        }
    }

    /// Adds what the manifests name to the fakes, as the cluster and the site of a team that uses
    /// them would have it: the roles to the fake Teleport (the job's own role among them), and
    /// every schedule and team they route to to both alert fakes. Opsgenie gets the schedules
    /// alerts notify and the teams (it resolves names itself); the schedules it is asked who is on
    /// call in are the scenario's. JSM gets them all, as it takes responders by id only.
    public func addDirectory(of manifests: ManifestSet) async {
        await teleport.state.seedRoles(Array(manifests.roles.values))
        let rows = RoutingTable(manifests: manifests, policy: PlanningPolicy()).rows
        let approvalSchedules = Set(rows.flatMap(\.approvalSchedules))
        for row in rows {
            for schedule in row.notifySchedules + row.approvalSchedules where await jsm.schedule(named: schedule) == nil {
                await jsm.addSchedule(name: schedule, onCall: scenario.onCall[schedule] ?? [])
            }
            for schedule in row.notifySchedules where scenario.onCall[schedule] == nil && !approvalSchedules.contains(schedule) {
                await opsgenie.addSchedule(name: schedule, recipients: [])
            }
            for team in row.teams {
                await jsm.addTeam(name: team)
                await opsgenie.addTeam(name: team)
            }
        }
    }

    private init(teleport: FakeTeleport, opsgenie: FakeOpsgenie, jsm: FakeJSM, backend: SandboxBackend, identityFile: String, apiKey: Secret,
                 opsgenieURL: URL, scenario: Scenario) {
        self.teleport = teleport
        self.opsgenie = opsgenie
        self.jsm = jsm
        self.backend = backend
        self.identityFile = identityFile
        self.apiKey = apiKey
        self.opsgenieURL = opsgenieURL
        self.scenario = scenario
    }

    /// The job's settings for this environment: the job's user as the reviewer. (The clients
    /// reach the fakes from `clients()`.)
    public func configuration(base: ReconcilerConfiguration = ReconcilerConfiguration()) -> ReconcilerConfiguration {
        var configuration = base
        if configuration.autoApproval.reviewer == nil { configuration.autoApproval.reviewer = Self.jobUser }
        return configuration
    }

    /// The pace of the in-process clients: the fakes throttle only when a test tells them to, so
    /// the clients start fast and runs stay short (pacing has tests of its own).
    public static let clientPace = RatePolicy(start: 50, ceiling: 1_000)

    /// The real clients, connected to the fakes. `tune` adjusts the Opsgenie client (rates, retries);
    /// `identityFile` replaces the job's identity.
    public func clients(identityFile: String? = nil, tune: (inout OpsgenieConfiguration) -> Void = { _ in }) throws
        -> (teleport: TeleportAccessRequests, opsgenie: OpsgenieAlertBackend) {
        var opsgenieConfiguration = OpsgenieConfiguration(baseURL: opsgenieURL, apiKey: apiKey)
        opsgenieConfiguration.statusPolling = StatusPolling(firstDelay: .milliseconds(10), maxDelay: .milliseconds(20), attempts: 40)
        opsgenieConfiguration.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        opsgenieConfiguration.rateLimits = opsgenieConfiguration.rateLimits.mapValues { _ in Self.clientPace }
        tune(&opsgenieConfiguration)
        return (try teleportClient(identityFile: identityFile), OpsgenieAlertBackend(configuration: opsgenieConfiguration))
    }

    /// The fake of the backend the job runs against.
    public var alerting: any FakeAlertService {
        switch backend {
        case .opsgenie: return opsgenie
        case .jsm: return jsm
        }
    }

    /// The settings a command line gives for `backend` against these fakes: flags, and the
    /// variables that hold the secrets.
    public func commandLine(backend: SandboxBackend? = nil) async -> (arguments: [String], environment: [String: String]) {
        let backend = backend ?? self.backend
        var arguments = ["--teleport-addr", teleport.address, "--teleport-identity", identityFile, "--teleport-route", "auth",
                         "--alert-backend", backend.rawValue]
        switch backend {
        case .opsgenie:
            arguments += ["--opsgenie-url", opsgenieURL.absoluteString]
            return (arguments, ["OPSGENIE_API_KEY": apiKey.value])
        case .jsm:
            let url = await jsm.baseURL.absoluteString
            arguments += ["--jsm-api-url", url, "--jsm-site-url", url, "--jsm-user", Self.jsmUser]
            return (arguments, ["JSM_API_TOKEN": apiKey.value])
        }
    }

    /// The Teleport client, connected to the fake, as the job's identity unless another is given.
    public func teleportClient(identityFile: String? = nil) throws -> TeleportAccessRequests {
        var configuration = teleport.clientConfiguration(identityFile: identityFile ?? self.identityFile)
        configuration.retry.maxAttempts = 3
        return try TeleportAccessRequests(configuration: configuration)
    }

    /// The JSM client, connected to the fake; `tune` adjusts it (rates, retries).
    public func jsmClient(tune: (inout JSMConfiguration) -> Void = { _ in }) async -> JSMAlertBackend {
        let url = await jsm.baseURL
        var configuration = JSMConfiguration(apiURL: url, cloudID: jsm.cloudID, siteURL: url, user: Self.jsmUser, apiToken: apiKey)
        configuration.statusPolling = StatusPolling(firstDelay: .milliseconds(10), maxDelay: .milliseconds(20), attempts: 40)
        configuration.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        configuration.rateLimits = configuration.rateLimits.mapValues { _ in Self.clientPace }
        tune(&configuration)
        return JSMAlertBackend(configuration: configuration)
    }

    /// The Teleport client and the alert client of `backend` (by default the environment's),
    /// connected to the fakes; `retry` replaces the alert client's retry policy.
    public func clients(backend: SandboxBackend? = nil, identityFile: String? = nil,
                        retry: RetryPolicy? = nil) async throws -> (teleport: TeleportAccessRequests, alerts: any AlertBackend) {
        switch backend ?? self.backend {
        case .opsgenie:
            let opsgenieClients = try clients(identityFile: identityFile) { configuration in
                if let retry { configuration.retry = retry }
            }
            return (opsgenieClients.teleport, opsgenieClients.opsgenie)
        case .jsm:
            let alerts = await jsmClient { configuration in
                if let retry { configuration.retry = retry }
            }
            return (try teleportClient(identityFile: identityFile), alerts)
        }
    }

    public func stop() async {
        await jsm.stop()
        await opsgenie.stop()
        await teleport.stop()
    }
}
