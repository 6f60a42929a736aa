import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

/// `--timeout` is a deadline: a side that accepts connections and never answers cannot keep the
/// job running past it. In-flight reads are cancelled at the deadline, writes in flight get a
/// few seconds, and the process has ended five seconds after the deadline at the latest. One at
/// a time: each starts the fakes and a child process, and the timings are what is tested.
@Suite("The run's deadline holds against silent peers", .serialized)
struct DeadlineTests {
    static let timeout = 3.0
    /// What the issue allows past the deadline.
    static let allowance = 5.0

    /// Runs `apply` with `--timeout`, `side` replaced by a silent peer, and checks when and how it ended.
    func expectEndsAtDeadline(backend: SandboxBackend, silent side: String) async throws {
        let scenario = try Scenario.load(path: TestRepository.root + "/fixtures/sandbox/morning-after-outage.yaml")
        try await withStopping(try await SandboxEnvironment.start(scenario: scenario, backend: backend), stop: { await $0.stop() }) { sandbox in
            try await SilentPeer.with { peer in
                let folder = try TestSupportPaths.temporaryDirectory()
                var (arguments, environment) = await FaultInjectionTests.commandLine(sandbox, lockFile: folder + "/apply.lock")
                let replaced: [String: String] = switch side {
                case "teleport": ["--teleport-addr": peer.address]
                case "alerts" where backend == .opsgenie: ["--opsgenie-url": "http://\(peer.address)"]
                default: ["--jsm-api-url": "http://\(peer.address)", "--jsm-site-url": "http://\(peer.address)"]
                }
                for (flag, value) in replaced {
                    let index = try #require(arguments.firstIndex(of: flag))
                    arguments[index + 1] = value
                }
                arguments += ["--timeout", "\(Int(Self.timeout))s", "--log-level", "error"]
                let started = ContinuousClock.now
                let child = try ChildRun.start(arguments: arguments, environment: environment, captureOutput: true)
                let (status, ended) = await child.waitTimed(orKillAfter: .seconds(Self.timeout + 30))
                let took = ended - started
                #expect(status == 1, "stderr: \(child.stderr)")
                #expect(took < .seconds(Self.timeout + Self.allowance), "ended \(took) after the start, the deadline was \(Self.timeout) s: \(child.stderr)")
                #expect(took >= .seconds(Self.timeout), "the run waited for its deadline, not for an error of its own: \(child.stderr)")
                #expect(child.stderr.contains("the run's deadline (--timeout \(Int(Self.timeout))s) passed"), "\(child.stderr)")
                #expect(!child.stderr.contains("did not end within"), "the reads were cancelled, not the process ended: \(child.stderr)")
                #expect(!child.stderr.contains(sandbox.apiKey.value))
            }
        }
    }

    @Test("a Teleport that accepts connections and never answers: exit 1 within the deadline plus 5 s", arguments: SandboxBackend.allCases)
    func silentTeleport(backend: SandboxBackend) async throws {
        try await expectEndsAtDeadline(backend: backend, silent: "teleport")
    }

    @Test("an alert backend that accepts connections and never answers: exit 1 within the deadline plus 5 s", arguments: SandboxBackend.allCases)
    func silentAlertBackend(backend: SandboxBackend) async throws {
        try await expectEndsAtDeadline(backend: backend, silent: "alerts")
    }

    @Test("writes in flight when the run is stopped get a few seconds, are then cut and reported; the next run finds what they did",
          arguments: SandboxBackend.allCases)
    func writesInFlight(backend: SandboxBackend) async throws {
        let scenario = try Scenario.load(path: TestRepository.root + "/fixtures/sandbox/morning-after-outage.yaml")
        // Writes are taken at once and answered 60 s later: in flight when the run is stopped.
        let slow = FakeServiceFaults(writeAnswerDelay: .seconds(60))
        try await withStopping(try await SandboxEnvironment.start(scenario: scenario, backend: backend, opsgenieFaults: slow),
                               stop: { await $0.stop() }) { sandbox in
            let folder = try TestSupportPaths.temporaryDirectory()
            let (arguments, environment) = await FaultInjectionTests.commandLine(sandbox, lockFile: folder + "/apply.lock")
            let child = try ChildRun.start(arguments: arguments, environment: environment, captureOutput: true)
            // SIGTERM takes the deadline's path at a moment the test knows: once a write is in flight.
            let limit = ContinuousClock.now + .seconds(60)
            while await !sandbox.alerting.calls.contains(where: { $0.method != "GET" }), ContinuousClock.now < limit {
                try await Task.sleep(for: .milliseconds(20))
            }
            let stopped = ContinuousClock.now
            child.signal(SIGTERM)
            let (status, ended) = await child.waitTimed(orKillAfter: .seconds(30))
            let took = ended - stopped
            #expect(status == 143, "stderr: \(child.stderr)")
            #expect(took < .seconds(Self.allowance), "ended \(took) after SIGTERM: \(child.stderr)")
            #expect(took >= .seconds(2), "writes in flight were given their grace")
            #expect(child.stdout.contains("stopped early: the process received SIGTERM"), "\(child.stdout.suffix(600))")
            #expect(child.stdout.contains("cut before its answer came"), "\(child.stdout.suffix(600))")

            switch backend {
            case .opsgenie: await sandbox.opsgenie.setFaults(FakeServiceFaults())
            case .jsm: await sandbox.jsm.setFaults(FakeServiceFaults())
            }
            let next = try ChildRun.start(arguments: arguments, environment: environment)
            #expect(await next.wait() == 0, "\(next.stderr)")
            // The end state is the one a run without the cut leaves: the cut creates were found
            // by alias, not made twice.
            let reference = try await SandboxEnvironment.start(scenario: scenario, backend: backend)
            try await withStopping(reference, stop: { await $0.stop() }) { reference in
                let (plain, plainEnvironment) = await FaultInjectionTests.commandLine(reference, lockFile: folder + "/reference.lock")
                let run = try ChildRun.start(arguments: plain, environment: plainEnvironment)
                #expect(await run.wait() == 0, "\(run.stderr)")
                #expect(await Self.endState(sandbox) == Self.endState(reference))
            }
        }
    }
}

extension DeadlineTests {
    /// What a run leaves: each alert's alias, status, count and notes; each request's state and reviews.
    static func endState(_ sandbox: SandboxEnvironment) async -> [String] {
        let alerts = await sandbox.alerting.alerts.map { "\($0.alias) \($0.status) \($0.count) \($0.notes.count) notes" }
        let requests = await sandbox.teleport.state.allRequests().map { "\($0.id) \($0.state) \($0.reviews.map(\.author))" }
        return (alerts + requests).sorted()
    }
}

extension ChildRun {
    /// The exit status; a child still running after `limit` is killed (status -1) so that a
    /// failing test ends.
    func wait(orKillAfter limit: Duration) async -> Int32 {
        await waitTimed(orKillAfter: limit).status
    }

    /// Waits on a thread of its own and notes there when the child ended, so that a busy test
    /// process (its shared threads taken by other tests) cannot make the child look slow.
    func waitTimed(orKillAfter limit: Duration) async -> (status: Int32, ended: ContinuousClock.Instant) {
        let process = process
        let ended = (try? await OwnThread.run { () -> ContinuousClock.Instant in
            let end = ContinuousClock.now + limit
            while process.isRunning, ContinuousClock.now < end { usleep(2_000) }
            return ContinuousClock.now
        }) ?? ContinuousClock.now
        return (kill() ? -1 : process.terminationStatus, ended)
    }
}
