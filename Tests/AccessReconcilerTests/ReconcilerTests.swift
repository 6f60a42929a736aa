import AccessReconciler
import Foundation
import ReconcilerTesting
import Testing

@Suite("A whole run against in-memory backends")
struct ReconcilerTests {
    let scenario: Scenario
    let manifests: ManifestSet
    var configuration: ReconcilerConfiguration

    init() throws {
        scenario = try Scenario.load(path: TestSupport.fixture("sandbox/morning-after-outage.yaml"))
        manifests = try ManifestLoader().load(path: TestSupport.manifestsPath)
        configuration = ReconcilerConfiguration()
        configuration.autoApproval.reviewer = "access-reconciler"
    }

    static func id(_ n: Int) -> String { "0193a1b2-0000-7000-8000-00000000000\(n)" }

    func reconciler(_ backends: (requests: InMemoryAccessRequests, alerts: InMemoryAlertBackend)) -> Reconciler {
        Reconciler(configuration: configuration, manifests: manifests, requests: backends.requests, alerts: backends.alerts)
    }

    @Test("plan on the morning after an outage: every rule in one picture, and nothing written")
    func planMorningAfter() async throws {
        let backends = scenario.makeBackends()
        let report = try await reconciler(backends).run(.plan, now: scenario.now)
        let summary = report.plan.actions.map { "\($0.kind.rawValue) \($0.requestID.suffix(1)) \($0.alertID ?? "-")" }
        #expect(summary == [
            "createAlert 1 -", "approveRequest 1 -",
            "addNote 3 og-3", "addNote 3 og-3", "closeAlert 3 og-3",
            "closeAlert 4 og-4",
        ])
        let findings = report.plan.findings.map { "\($0.kind.rawValue) \($0.requestID?.suffix(1) ?? "-")" }
        #expect(findings == ["liveAnnotationsUsed 5", "noRoute 5", "annotationDrift 7", "identityUnknown 7", "responderDrift 7"])
        #expect(await backends.alerts.writes.isEmpty)
        #expect(await backends.requests.writes.isEmpty)
        #expect(report.exitStatus(detailedExitCode: true) == .drift)
        #expect(report.exitStatus(detailedExitCode: false) == .success)
    }

    @Test("one request's alert lookup fails: that request is held back with a finding, the rest of the plan stands")
    func partialObservation() async throws {
        let backends = scenario.makeBackends(aliasBatchSize: 1)
        await backends.alerts.setFailingLookups([AlertAlias.forRequest(Self.id(6))])
        let report = try await reconciler(backends).run(.apply, now: scenario.now)
        let failed = report.finalPlan.findings.filter { $0.kind == .lookupFailed }
        #expect(failed.map(\.requestID) == [Self.id(6)])
        #expect(failed.first?.message.contains("teleport-access-request/\(Self.id(6))") == true)
        #expect(!report.outcomes.contains { $0.action.requestID == Self.id(6) }, "nothing written for the unknown request")
        #expect(await backends.alerts.alerts.values.filter { $0.alias == AlertAlias.forRequest(Self.id(6)) }.map(\.count) == [1])
        #expect(report.outcomes.contains { $0.action.kind == .closeAlert && $0.status == .done }, "the other requests were carried out")
        #expect(!report.finalPlan.isInSync)
        #expect(report.exitStatus(detailedExitCode: false) == .failure, "a run that could not see everything does not report success")
    }

    @Test("a review that lands between the look and the approval is weighed: another machine's approval or a denial, and the job does not approve", arguments: [
        AccessReview(author: "@teleport-access-approval-bot", proposedState: .approved, created: Date(timeIntervalSince1970: 1_790_000_000)),
        AccessReview(author: "lead@example.com", proposedState: .denied, created: Date(timeIntervalSince1970: 1_790_000_000)),
    ])
    func raceBeforeApproval(_ review: AccessReview) async throws {
        let backends = scenario.makeBackends()
        let racing = ReviewLandsBeforeApproval(wrapped: backends.requests, requestID: Self.id(1), review: review)
        var once = configuration
        once.maxRounds = 1
        let report = try await Reconciler(configuration: once, manifests: manifests, requests: racing, alerts: backends.alerts)
            .run(.apply, now: scenario.now)
        let approval = try #require(report.outcomes.first { $0.action.kind == .approveRequest })
        #expect(approval.status == .skipped && approval.detail.contains("not approved when read again"), "\(approval.detail)")
        let writes = await backends.requests.writes
        #expect(writes.filter { $0.hasPrefix("review") }.isEmpty, "\(writes)")
    }

    @Test("apply carries the plan out; looking again, only the follow-up of the approval is left, then nothing")
    func applyConverges() async throws {
        let backends = scenario.makeBackends()
        let first = try await reconciler(backends).run(.apply, now: scenario.now)
        #expect(first.outcomes.allSatisfy { $0.status == .done }, "\(first.outcomes)")
        #expect(first.exitStatus(detailedExitCode: false) == .success)

        let alerts = await backends.alerts.alerts
        #expect(alerts["og-3"]?.status == .closed)
        #expect(alerts["og-4"]?.status == .closed)
        #expect(alerts["og-other"]?.status == .open, "another cluster's alert is untouched")
        #expect(alerts["og-6"]?.status == .open && alerts["og-6"]?.count == 1, "no second alert for the hosted plugin's")
        let created = try #require(alerts.values.first { $0.alias == AlertAlias.forRequest(Self.id(1)) })
        #expect(created.tags.contains("access-reconciler"))
        let notes = await backends.alerts.notes["og-3"] ?? []
        #expect(notes.count == 3)
        #expect(notes.last == "Access request has been approved\nReason: looks fine")
        let approved = await backends.requests.requests[Self.id(1)]
        #expect(approved?.state == .approved)
        #expect(approved?.reviews.first?.author == "access-reconciler")
        let pluginData = await backends.requests.pluginData
        let recorded = pluginData.compactMapValues { $0.entries["opsgenie"].map(PluginEntry.init) }
        #expect(recorded[Self.id(1)]?.alertID == created.id)
        #expect(recorded[Self.id(3)]?.resolution == .approved)
        #expect(recorded[Self.id(3)]?.fields[PluginDataKey.resolution] == "approved", "the word Teleport's plugin writes")
        #expect(recorded[Self.id(3)]?.reviewsCount == 2)

        // The approval resolved request 1: the second look closed its alert with the job's review
        // as a note; the third found nothing left to do.
        #expect(first.rounds.count == 3)
        #expect(first.rounds[1].plan.actions.map(\.kind) == [.addNote, .closeAlert])
        #expect(first.rounds[1].plan.actions.allSatisfy { $0.requestID == Self.id(1) })
        #expect(first.finalPlan.actions.isEmpty)
        #expect(await backends.alerts.alerts[created.id]?.status == .closed)
        #expect(TextReport.render(first).contains("in agreement after 3 looks"))

        let writesBefore = await backends.alerts.writes.count + backends.requests.writes.count
        let second = try await reconciler(backends).run(.apply, now: scenario.now)
        #expect(second.rounds.count == 1)
        #expect(second.plan.actions.isEmpty)
        #expect(await backends.alerts.writes.count + backends.requests.writes.count == writesBefore, "a converged run writes nothing")
    }

    @Test("once in agreement, a run reads no alert one by one except the hosted plugin's, found by alias")
    func noPerRequestReads() async throws {
        let backends = scenario.makeBackends()
        _ = try await reconciler(backends).run(.apply, now: scenario.now)
        let before = await backends.alerts.lookups.count
        let report = try await reconciler(backends).run(.plan, now: scenario.now)
        #expect(report.plan.actions.isEmpty)
        #expect(Array(await backends.alerts.lookups.dropFirst(before)) == [[AlertAlias.forRequest(Self.id(6))]],
                "one lookup, of request 6 only, alerted by Teleport's plugin (no tag)")
    }

    @Test("a plan larger than --max-changes is refused and nothing is written")
    func maxChanges() async throws {
        let backends = scenario.makeBackends()
        var limited = configuration
        limited.maxChanges = 5
        let reconciler = Reconciler(configuration: limited, manifests: manifests, requests: backends.requests, alerts: backends.alerts)
        let error = await #expect(throws: ReconcileError.self) { try await reconciler.run(.apply, now: scenario.now) }
        #expect(error == .tooManyChanges(planned: 6, limit: 5))
        #expect(error?.description.contains("nothing was changed") == true)
        #expect(await backends.alerts.writes.isEmpty)
        #expect(await backends.requests.writes.isEmpty)
        limited.maxChanges = 6
        let allowed = Reconciler(configuration: limited, manifests: manifests, requests: backends.requests, alerts: backends.alerts)
        #expect(try await allowed.run(.apply, now: scenario.now).exitStatus(detailedExitCode: false) == .success)
    }

    @Test("writes that cannot make both sides agree within the rounds allowed exit 1")
    func notConverging() async throws {
        let backends = scenario.makeBackends()
        var oneRound = configuration
        oneRound.maxRounds = 1
        let report = try await Reconciler(configuration: oneRound, manifests: manifests, requests: backends.requests, alerts: backends.alerts)
            .run(.apply, now: scenario.now)
        #expect(report.rounds.count == 2)
        #expect(report.finalPlan.actions.map(\.kind) == [.addNote, .closeAlert])
        #expect(report.exitStatus(detailedExitCode: false) == .failure)
        #expect(TextReport.render(report).contains("2 write(s) still needed after 2 looks"))
    }

    @Test("Teleport unreachable: the run fails and nothing is written to the alerts")
    func teleportDown() async throws {
        let backends = scenario.makeBackends()
        await backends.requests.setFailure(InMemoryError.unavailable("Teleport Auth Service"))
        await #expect(throws: InMemoryError.self) { try await reconciler(backends).run(.apply, now: scenario.now) }
        #expect(await backends.alerts.writes.isEmpty)
    }

    @Test("the alert listing fails: the run fails and nothing is approved")
    func alertsDown() async throws {
        let backends = scenario.makeBackends()
        await backends.alerts.setFailure(InMemoryError.unavailable("Opsgenie"))
        await #expect(throws: InMemoryError.self) { try await reconciler(backends).run(.apply, now: scenario.now) }
        #expect(await backends.requests.writes.isEmpty)
    }

    @Test("an on-call lookup that fails approves nothing on that schedule, and says so")
    func onCallDown() async throws {
        let backends = scenario.makeBackends()
        await backends.alerts.setFailingSchedules(["teleport-access-alert-schedules"])
        let report = try await reconciler(backends).run(.plan, now: scenario.now)
        #expect(report.plan.actions(.approveRequest).isEmpty)
        #expect(report.plan.findings.contains { $0.kind == .onCallUnknown && $0.requestID == Self.id(1) })
    }

    @Test("a failed write is reported, the run exits 1, and independent actions still happen")
    func failedWrite() async throws {
        let backends = scenario.makeBackends()
        await backends.requests.delete(Self.id(3))
        // Request 3 is gone now: its alert is closed as expired; make the create fail instead.
        let failing = Reconciler(configuration: configuration, manifests: manifests, requests: backends.requests,
                                 alerts: FailingCreates(wrapped: backends.alerts))
        let report = try await failing.run(.apply, now: scenario.now)
        #expect(report.exitStatus(detailedExitCode: false) == .failure)
        let statuses = report.outcomes.map { "\($0.action.kind.rawValue) \($0.status.rawValue)" }
        #expect(statuses.contains("createAlert failed"))
        #expect(statuses.contains("closeAlert done"))
        let text = TextReport.render(report)
        #expect(text.contains("✗ request \(Self.id(1)): pending request from myuser@example.com"))
        // A failed create is counted as failed, not as created.
        #expect(text.contains("Applied: 2 alert(s) closed; 1 failed (1 createAlert); 1 skipped (1 approveRequest); stopped after 1 look because a write failed"),
                "\(text)")
        let counts = ReportDocument(report).counts
        #expect(counts.count(.createAlert, .failed) == 1 && counts.count(.createAlert, .done) == 0)
        #expect(counts.count(.closeAlert, .done) == 2)
    }

    @Test("the JSON report follows the documented schema")
    func jsonReport() async throws {
        let report = try await reconciler(scenario.makeBackends()).run(.plan, now: scenario.now)
        let json = try Reconciler.render(report, format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["schemaVersion", "mode", "cluster", "generatedAt", "inSync", "rounds", "counts", "actions", "findings", "manifests"])
        #expect(object["rounds"] as? Int == 1)
        #expect(object["schemaVersion"] as? Int == 2)
        #expect(object["generatedAt"] as? String == "2026-11-25T08:00:00Z")
        #expect(object["cluster"] as? String == "teleport.example.com")
        let counts = try #require(object["counts"] as? [String: Any])
        #expect(Set(counts.keys) == ["planned", "done", "skipped", "failed", "findings", "drift"])
        #expect(counts["planned"] as? [String: Int] == ["createAlert": 1, "recordAlert": 0, "approveRequest": 1, "addNote": 2, "closeAlert": 2,
                                                        "recordResolution": 0])
        #expect((counts["done"] as? [String: Int])?.values.reduce(0, +) == 0, "plan does nothing")
        #expect(counts["findings"] as? Int == 5 && counts["drift"] as? Int == 2)
        let actions = try #require(object["actions"] as? [[String: Any]])
        #expect(actions.first?["kind"] as? String == "createAlert")
        #expect(actions.first?["status"] as? String == "planned")
        #expect(actions.first?["responders"] as? [String] == ["schedule teleport-access-request-notifications", "team teleport-team"])
        #expect(actions.last?["resolution"] as? String == "expired")
        let decoded = try JSONDecoder().decode(ReportDocument.self, from: Data(json.utf8))
        #expect(decoded == ReportDocument(report))
    }

    @Test("an applied round keeps what the report prints of each action, and not the texts it wrote")
    func appliedRoundKeptForReport() async throws {
        let planned = try await reconciler(scenario.makeBackends()).run(.plan, now: scenario.now).plan
        let applied = try #require(try await reconciler(scenario.makeBackends()).run(.apply, now: scenario.now).rounds.first).plan
        #expect(applied.actions.map(SavedPlan.Action.init) == planned.actions.map(SavedPlan.Action.init))
        #expect(applied.findings == planned.findings)
        let drafts = { (plan: Plan) in plan.actions.compactMap { if case let .createAlert(create) = $0 { create.draft } else { nil } } }
        #expect(drafts(planned).contains { !$0.description.isEmpty }, "the plan shows the alert it would create")
        #expect(!drafts(applied).isEmpty && drafts(applied).allSatisfy { $0.description.isEmpty && $0.details.isEmpty })
    }

    @Test("the JSON report written in pieces, as the commands print it, is byte for byte the whole document")
    func streamedJSONReport() async throws {
        let backends = scenario.makeBackends()
        let plan = try await reconciler(backends).run(.plan, now: scenario.now)
        let apply = try await reconciler(backends).run(.apply, now: scenario.now)
        let again = try await reconciler(backends).run(.plan, now: scenario.now)
        #expect(apply.rounds.count > 1 && again.plan.actions.isEmpty, "an apply of several looks, and a plan with no action")
        for report in [plan, apply, again] {
            var pieces: [Data] = []
            try Reconciler.render(report, format: .json) { pieces.append($0) }
            var whole = try ReportDocument(report).jsonData()
            whole.append(UInt8(ascii: "\n"))
            #expect(String(decoding: pieces.reduce(Data(), +), as: UTF8.self) == String(decoding: whole, as: UTF8.self))
        }
    }

    @Test("the text report groups actions with reasons and ends with a summary")
    func textReport() async throws {
        let report = try await reconciler(scenario.makeBackends()).run(.plan, now: scenario.now)
        let text = TextReport.render(report)
        #expect(text.hasPrefix("access-reconciler plan: cluster teleport.example.com, 2026-11-25T08:00:00Z\nmanifests: 6 roles, 4 users (skipped: 1 github)\n"))
        #expect(text.contains("\nCreate alert (1)\n  + request \(Self.id(1)): pending request from myuser@example.com for editor has no open alert"))
        #expect(text.contains("\nApprove request (1)\n  + request \(Self.id(1)): myuser@example.com is on call in teleport-access-alert-schedules"))
        #expect(text.contains("  ! drift annotationDrift request \(Self.id(7)): annotations differ from the manifests"))
        #expect(text.hasSuffix("Plan: 1 alert(s) to create, 1 request(s) to approve, 2 note(s) to add, 2 alert(s) to close; 2 drift findings, 3 notices.\n"))
    }
}

extension ReconcilerTests {
    @Test("a write waiting for the alert backend to process it holds no write slot: with --concurrency 1, five creates wait at once, and never two are sent at once")
    func processingHoldsNoSlot() async throws {
        // Five pending requests with no alert, like request 1 of the fixture.
        var world = scenario
        let template = try #require(scenario.requests.first { $0.id == Self.id(1) })
        world.requests = (1...5).map { n in
            var request = template
            request.id = "0193a1b2-0000-7000-8000-0000000001\(String(format: "%02d", n))"
            return request
        }
        world.alerts = []
        world.pluginData = [:]
        let backends = world.makeBackends()
        let gate = ProcessingGate()
        var configuration = configuration
        configuration.maxConcurrentWrites = 1
        configuration.autoApproval.enabled = false
        let reconciler = Reconciler(configuration: configuration, manifests: manifests, requests: backends.requests,
                                    alerts: SlowlyProcessedCreates(wrapped: backends.alerts, gate: gate))
        let report = try await reconciler.run(.apply, now: world.now)
        #expect(report.outcomes.filter { $0.action.kind == .createAlert && $0.status == .done }.count == 5, "\(TextReport.render(report))")
        #expect(await gate.mostWaiting == 5, "every create waited to be processed at the same time")
        #expect(await gate.mostSending == 1, "never more creates sent at once than --concurrency")
    }
}

/// Counts the creates of `SlowlyProcessedCreates` that are being sent and that wait to be
/// processed.
actor ProcessingGate {
    private(set) var sending = 0
    private(set) var mostSending = 0
    private(set) var waiting = 0
    private(set) var mostWaiting = 0

    func startSending() { sending += 1; mostSending = max(mostSending, sending) }
    func stopSending() { sending -= 1 }
    func startWaiting() { waiting += 1; mostWaiting = max(mostWaiting, waiting) }
    func stopWaiting() { waiting -= 1 }
}

/// An alert backend whose creates are processed asynchronously, as Opsgenie's and JSM's are: the
/// create is sent, then waits (`ProcessingWait`) two seconds to be processed.
struct SlowlyProcessedCreates: ForwardingAlertBackend {
    let wrapped: InMemoryAlertBackend
    let gate: ProcessingGate
    func createAlert(_ draft: AlertDraft) async throws -> String {
        await gate.startSending()
        await Task.yield()
        let id = try await wrapped.createAlert(draft)
        await gate.stopSending()
        await gate.startWaiting()
        // One wait, as long as a slow service takes: the other creates are sent meanwhile.
        try await ProcessingWait.sleep(for: .seconds(2))
        await gate.stopWaiting()
        return id
    }
}

/// Teleport as another machine racing the job: a review lands on one request between the job's
/// look and its re-read before the approval.
struct ReviewLandsBeforeApproval: AccessRequestPort {
    let wrapped: InMemoryAccessRequests
    let requestID: String
    let review: AccessReview
    func clusterName() async throws -> String { try await wrapped.clusterName() }
    func listAccessRequests() async throws -> [AccessRequest] { try await wrapped.listAccessRequests() }
    func accessRequest(id: String) async throws -> AccessRequest? {
        if id == requestID, var request = try await wrapped.accessRequest(id: id), !request.reviews.contains(review) {
            request.reviews.append(review)
            await wrapped.put(request)
        }
        return try await wrapped.accessRequest(id: id)
    }
    func user(named name: String) async throws -> TeleportUser? { try await wrapped.user(named: name) }
    func listPluginData(plugin: String) async throws -> [String: RequestPluginData] { try await wrapped.listPluginData(plugin: plugin) }
    func pluginData(requestID: String) async throws -> RequestPluginData? { try await wrapped.pluginData(requestID: requestID) }
    func updatePluginData(requestID: String, plugin: String, set: [String: String], expect: [String: String]) async throws {
        try await wrapped.updatePluginData(requestID: requestID, plugin: plugin, set: set, expect: expect)
    }
    func submitReview(requestID: String, proposedState: RequestState, reason: String) async throws -> RequestState {
        try await wrapped.submitReview(requestID: requestID, proposedState: proposedState, reason: reason)
    }
}

/// An alert backend whose creates fail, to test failure handling.
struct FailingCreates: ForwardingAlertBackend {
    let wrapped: InMemoryAlertBackend
    func createAlert(_ draft: AlertDraft) async throws -> String { throw InMemoryError.unavailable("alert creation") }
}

/// An alert backend that asks the run to stop once it has created one alert, as a deadline or a
/// SIGTERM arriving mid-run would.
struct StopAfterFirstCreate: ForwardingAlertBackend {
    let wrapped: InMemoryAlertBackend
    let stop: RunStop
    func createAlert(_ draft: AlertDraft) async throws -> String {
        defer { stop.request("the run's deadline (--timeout 1s) passed") }
        return try await wrapped.createAlert(draft)
    }
}

@Suite("Stopping a run and overlapping runs")
struct StopAndLockTests {
    @Test("asked to stop mid-run, no further write starts, writes in flight finish, the report says what is left, exit 1")
    func stopMidRun() async throws {
        let scenario = try Scenario.load(path: TestSupport.fixture("sandbox/morning-after-outage.yaml"))
        let manifests = try ManifestLoader().load(path: TestSupport.manifestsPath)
        var configuration = ReconcilerConfiguration()
        configuration.autoApproval.reviewer = "access-reconciler"
        configuration.maxConcurrentWrites = 1
        let backends = scenario.makeBackends()
        let stop = RunStop()
        let report = try await Reconciler(configuration: configuration, manifests: manifests, requests: backends.requests,
                                          alerts: StopAfterFirstCreate(wrapped: backends.alerts, stop: stop)).run(.apply, clock: { scenario.now }, stop: stop)
        #expect(report.rounds.count == 1, "no look after the stop")
        let statuses = report.outcomes.map { "\($0.action.kind.rawValue) \($0.status.rawValue)" }
        #expect(statuses.first == "createAlert done", "the write in flight finished and was recorded")
        #expect(report.outcomes.dropFirst(2).allSatisfy { $0.status == .skipped && $0.detail.contains("not started: the run's deadline") })
        #expect(await backends.alerts.writes == ["create teleport-access-request/0193a1b2-0000-7000-8000-000000000001"])
        #expect(report.exitStatus(detailedExitCode: false) == .failure)
        let text = TextReport.render(report)
        #expect(text.contains("stopped early: the run's deadline (--timeout 1s) passed; the next run continues"), "\(text)")
        #expect(ReportDocument(report).stoppedBecause == "the run's deadline (--timeout 1s) passed")
    }

    @Test("the run lock: a second holder is refused with who holds it; once released it can be taken again")
    func runLock() throws {
        let path = try TestSupport.directory([:]) + "/run.lock"
        var first: RunLock? = try RunLock(path: path, runID: "first")
        let refused = #expect(throws: RunLock.Held.self) { try RunLock(path: path, runID: "second") }
        #expect(refused?.holder.hasPrefix("run first, pid \(ProcessInfo.processInfo.processIdentifier) on ") == true, "\(String(describing: refused))")
        #expect(refused?.description.contains("this run wrote nothing") == true)
        withExtendedLifetime(first) {}
        first = nil
        #expect(throws: Never.self) { _ = try RunLock(path: path, runID: "third") }
    }
}

/// An alert backend that forwards every call to an in-memory one; a test's stub changes the
/// calls it is about.
protocol ForwardingAlertBackend: AlertBackend {
    var wrapped: InMemoryAlertBackend { get }
}

extension ForwardingAlertBackend {
    var aliasBatchSize: Int { wrapped.aliasBatchSize }
    var pluginName: String { wrapped.pluginName }
    var tagLimit: Int { wrapped.tagLimit }
    func listOpenAlerts(taggedWith tags: [String]) async throws -> [Alert] { try await wrapped.listOpenAlerts(taggedWith: tags) }
    func openAlerts(aliases: [String]) async throws -> [Alert] { try await wrapped.openAlerts(aliases: aliases) }
    func addNote(alertID: String, note: String) async throws { try await wrapped.addNote(alertID: alertID, note: note) }
    func closeAlert(alertID: String, note: String) async throws -> Bool { try await wrapped.closeAlert(alertID: alertID, note: note) }
    func onCallRecipients(schedule: String) async throws -> [String] { try await wrapped.onCallRecipients(schedule: schedule) }
    func createAlert(_ draft: AlertDraft) async throws -> String { try await wrapped.createAlert(draft) }
}
