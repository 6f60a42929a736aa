import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// Kills `access-reconciler apply` at seeded random moments over a seeded world (after a seeded
/// number of writes, so that every kill lands mid-run, which each trial requires), runs it again
/// to the end, and checks that the end state is consistent whatever the moment was. Bounded for
/// CI (`ACCESS_RECONCILER_FAULT_TRIALS`, default 4; `ACCESS_RECONCILER_FAULT_SEED`);
/// `scripts/fault-injection.sh` runs the long version. Trials alternate between the Opsgenie and
/// the JSM Operations backend.
@Suite("Fault injection: apply killed at random points", .serialized)
struct FaultInjectionTests {
    static let trials = Int(ProcessInfo.processInfo.environment["ACCESS_RECONCILER_FAULT_TRIALS"] ?? "") ?? 4
    static let seed = UInt64(ProcessInfo.processInfo.environment["ACCESS_RECONCILER_FAULT_SEED"] ?? "") ?? 20_261_126

    /// A morning after an outage: pending requests without alerts, resolved requests with the job's
    /// open alerts and reviews not yet posted, and deleted requests whose alerts remain.
    static func world(now: Date, random: inout SplitMix64, backend: SandboxBackend = .opsgenie) -> Scenario {
        var scenario = Scenario(cluster: "teleport.example.com", now: now,
                                onCall: ["teleport-access-alert-schedules": ["myuser@example.com"], "dba-oncall": []])
        let annotations = [RequestAnnotation.notifyServices: ["teleport-access-request-notifications"],
                           RequestAnnotation.teams: ["teleport-team"], RequestAnnotation.schedules: ["teleport-access-alert-schedules"]]
        for index in 0..<16 {
            let id = String(format: "0193a1b2-0000-7000-8000-%012d", index)
            let created = now.addingTimeInterval(-Double(600 + index * 7))
            let user = random.next() % 3 == 0 ? "myuser@example.com" : "alice@example.com"
            var request = AccessRequest(id: id, user: user, roles: ["editor"], created: created, accessExpires: now.addingTimeInterval(3600),
                                        resourceExpires: now.addingTimeInterval(86_400), requestReason: "deploy", systemAnnotations: annotations)
            let alert = Alert(id: "og-\(index)", alias: AlertAlias.forRequest(id), message: AlertText.message(user: user),
                              tags: [PlanningPolicy.defaultOwnerTag, AlertDetails.clusterTag(scenario.cluster)],
                              details: [AlertDetails.cluster: scenario.cluster], createdAt: created)
            switch index % 4 {
            case 0, 1:
                break // pending, no alert yet
            case 2:
                request.state = random.next() % 2 == 0 ? .approved : .denied
                request.resolveReason = "reviewed"
                request.reviews = (0..<Int(1 + random.next() % 3)).map {
                    AccessReview(author: "reviewer\($0)@example.com", proposedState: request.state, reason: "ok", created: created.addingTimeInterval(Double(60 + $0)))
                }
                scenario.alerts.append(alert)
                scenario.pluginData[id] = RequestPluginData(entries: [backend.pluginName: ["alert_id": alert.id, "user": user, "roles": "editor"]])
            default:
                scenario.alerts.append(alert)
                scenario.pluginData[id] = RequestPluginData(entries: [backend.pluginName: ["alert_id": alert.id, "user": user, "roles": "editor"]])
                continue // deleted by Teleport: not listed
            }
            scenario.requests.append(request)
        }
        return scenario
    }

    @Test("every trial ends consistent: one alert per pending request (count 1), resolved ones closed, one review, no duplicated note, records matching")
    func killedApplies() async throws {
        var random = SplitMix64(seed: Self.seed)
        var report: [String] = []
        for trial in 1...Self.trials {
            let backend: SandboxBackend = trial % 2 == 1 ? .opsgenie : .jsm
            let world = Self.world(now: Date(), random: &random, backend: backend)
            // Killed once the fakes have received this many writes (0: while the first look reads),
            // so that every kill lands mid-run; the world needs over 20.
            let killAfterWrites = Int(random.next() % 12)
            let sandbox = try await SandboxEnvironment.start(scenario: world, backend: backend,
                                                             opsgenieFaults: FakeServiceFaults(latency: .milliseconds(8)))
            try await withStopping(sandbox, stop: { await $0.stop() }) { sandbox in
                let lockFile = try TestSupportPaths.temporaryDirectory() + "/apply.lock"
                let (arguments, environment) = await Self.commandLine(sandbox, lockFile: lockFile)
                let first = try ChildRun.start(arguments: arguments, environment: environment)
                let reached = await Self.wait(sandbox, forWrites: killAfterWrites, of: first)
                let killed = first.kill()
                let writesAtKill = await Self.writes(sandbox)
                #expect(reached && killed, "trial \(trial): the kill landed mid-run (after \(killAfterWrites) writes); stderr: \(first.stderr)")
                let second = try ChildRun.start(arguments: arguments, environment: environment)
                let status = await second.wait()
                let rerunWrites = await Self.writes(sandbox) - writesAtKill
                #expect(rerunWrites > 0, "trial \(trial): the killed run left writes for the rerun")
                let problems = await Self.inconsistencies(sandbox, world: sandbox.scenario)
                report.append("trial \(trial) (\(backend)): killed after \(writesAtKill) writes (asked: \(killAfterWrites)), "
                    + "the rerun made \(rerunWrites) and exited \(status): " + (problems.isEmpty ? "consistent" : problems.joined(separator: "; ")))
                #expect(status == 0, "trial \(trial): the rerun exits 0; stderr: \(second.stderr)")
                #expect(problems.isEmpty, "trial \(trial): \(problems)")
                await EndToEndTests.checkExchanges(sandbox, sourceLocation: #_sourceLocation)
            }
        }
        print("fault injection (seed \(Self.seed)):\n" + report.joined(separator: "\n"))
    }

    @Test("two applies started together on one machine: one runs, the other finds the lock, writes nothing and exits 1")
    func twoAppliesAtOnce() async throws {
        var random = SplitMix64(seed: Self.seed)
        let world = Self.world(now: Date(), random: &random)
        try await withStopping(try await SandboxEnvironment.start(scenario: world, opsgenieFaults: FakeServiceFaults(latency: .milliseconds(8))),
                               stop: { await $0.stop() }) { sandbox in
            let lockFile = try TestSupportPaths.temporaryDirectory() + "/apply.lock"
            let (arguments, environment) = await Self.commandLine(sandbox, lockFile: lockFile)
            let runs = try (0..<2).map { _ in try ChildRun.start(arguments: arguments, environment: environment) }
            var statuses: [Int32] = []
            for run in runs { statuses.append(await run.wait()) }
            #expect(statuses.sorted() == [0, 1], "\(statuses)")
            let refused = runs[statuses.firstIndex(of: 1) ?? 0]
            #expect(refused.stderr.contains("another run holds the lock \(lockFile) (run "), "\(refused.stderr)")
            #expect(await Self.inconsistencies(sandbox, world: sandbox.scenario).isEmpty)
            #expect(await sandbox.alerting.alerts.allSatisfy { $0.count == 1 }, "no alert raised twice")
        }
    }

    @Test("SIGTERM: writes in flight finish, no further write starts, the report says so, exit 143; the next run completes")
    func terminated() async throws {
        var random = SplitMix64(seed: Self.seed &+ 1)
        let world = Self.world(now: Date(), random: &random, backend: .jsm)
        try await withStopping(try await SandboxEnvironment.start(scenario: world, backend: .jsm, opsgenieFaults: FakeServiceFaults(latency: .milliseconds(8))),
                               stop: { await $0.stop() }) { sandbox in
            let lockFile = try TestSupportPaths.temporaryDirectory() + "/apply.lock"
            let (arguments, environment) = await Self.commandLine(sandbox, lockFile: lockFile)
            let first = try ChildRun.start(arguments: arguments, environment: environment, captureOutput: true)
            try await Task.sleep(for: .milliseconds(700))
            first.signal(SIGTERM)
            let status = await first.wait()
            #expect(status == 143, "stderr: \(first.stderr)")
            #expect(first.stdout.contains("stopped early: the process received SIGTERM; the next run continues"), "\(first.stdout.suffix(400))")
            let second = try ChildRun.start(arguments: arguments, environment: environment)
            #expect(await second.wait() == 0, "\(second.stderr)")
            #expect(await Self.inconsistencies(sandbox, world: sandbox.scenario).isEmpty)
        }
    }

    /// `apply` against the sandbox's backend, as a user would type it.
    static func commandLine(_ sandbox: SandboxEnvironment, lockFile: String) async -> (arguments: [String], environment: [String: String]) {
        let settings = await sandbox.commandLine()
        return (["apply", "--manifests", TestRepository.root + "/manifests"] + settings.arguments + ["--lock-file", lockFile, "--log-level", "error"],
                settings.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
    }

    /// The writes the fakes have received: Teleport's plugin-data updates and reviews, and every
    /// call to the alert service that is not a read.
    static func writes(_ sandbox: SandboxEnvironment) async -> Int {
        let teleport = await sandbox.teleport.state.writeCalls().count
        return teleport + (await sandbox.alerting.calls.filter { $0.method != "GET" }.count)
    }

    /// Waits until the fakes have received `count` writes (0: until the run has begun to read
    /// Teleport); false when `child` ended first.
    static func wait(_ sandbox: SandboxEnvironment, forWrites count: Int, of child: ChildRun) async -> Bool {
        while child.process.isRunning {
            if count == 0 ? await sandbox.teleport.state.callCount("ListAccessRequests") > 0 : await writes(sandbox) >= count { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return false
    }

    /// What does not hold in the end state, one line each.
    static func inconsistencies(_ sandbox: SandboxEnvironment, world: Scenario) async -> [String] {
        var problems: [String] = []
        let alerts = await sandbox.alerting.alerts
        let requests = await sandbox.teleport.state.allRequests()
        let listed = Set(requests.map(\.id))
        for request in requests {
            let own = alerts.filter { $0.alias == request.alertAlias }
            let open = own.filter { $0.status == "open" }
            let record = await sandbox.teleport.state.pluginData(request.id)?[sandbox.backend.pluginName] ?? [:]
            if request.state == .pending {
                if open.count != 1 || open.first?.count != 1 {
                    problems.append("\(request.id): \(open.count) open alert(s), counts \(open.map(\.count))")
                }
                if let alert = open.first, record["alert_id"] != alert.id {
                    problems.append("\(request.id): plugin data records \(record["alert_id"] ?? "no alert"), the open alert is \(alert.id)")
                }
            } else if !open.isEmpty {
                problems.append("\(request.id) is \(request.state) but its alert is open")
            }
            let byJob = request.reviews.filter { $0.author == SandboxEnvironment.jobUser }.count
            if byJob > 1 { problems.append("\(request.id): \(byJob) reviews by the job") }
            for alert in own where Set(alert.notes).count != alert.notes.count {
                problems.append("\(request.id): duplicated notes on \(alert.id)")
            }
        }
        for alert in alerts where alert.status == "open" {
            if let id = AlertAlias.requestID(from: alert.alias), !listed.contains(id) {
                problems.append("alert \(alert.id) of deleted request \(id) is still open")
            }
        }
        return problems
    }
}

/// The built `access-reconciler` run as a child process, its output in files.
struct ChildRun: @unchecked Sendable {
    let process: Process
    let errURL: URL
    let outURL: URL?

    static func start(_ executable: String = "access-reconciler", arguments: [String], environment: [String: String],
                      captureOutput: Bool = false) throws -> ChildRun {
        let folder = try TestSupportPaths.temporaryDirectory()
        let errURL = URL(fileURLWithPath: folder + "/stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outURL = captureOutput ? URL(fileURLWithPath: folder + "/stdout") : nil
        let process = Process()
        process.executableURL = try TestSupportPaths.executable(executable)
        process.arguments = arguments
        process.environment = environment
        if let outURL {
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: outURL)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        return ChildRun(process: process, errURL: errURL, outURL: outURL)
    }

    func signal(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    var stdout: String { outURL.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "" }

    /// Kills the child at once (SIGKILL: no chance to finish anything); false if it had ended.
    func kill() -> Bool {
        guard process.isRunning else { return false }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return true
    }

    func wait() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
}

/// Where the tests find the built tool and a fresh folder.
enum TestSupportPaths {
    static func executable(_ name: String = "access-reconciler") throws -> URL {
        try #require(TestRepository.built(name), "the \(name) executable was not built next to the tests")
    }

    static func temporaryDirectory() throws -> String {
        try TestRepository.temporaryFolder([:])
    }
}
