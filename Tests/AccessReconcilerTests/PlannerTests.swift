import AccessReconciler
import Foundation
import Testing

@Suite("The planner")
struct PlannerTests {
    static let manifestsYAML = """
    kind: role
    version: v7
    metadata: {name: requester}
    spec:
      allow:
        request:
          roles: [editor, 'db-*']
          annotations:
            teleport.dev/notify-services: [platform]
            teleport.dev/teams: [platform-team]
            teleport.dev/schedules: [platform]
    ---
    kind: user
    version: v2
    metadata: {name: alice@example.com}
    spec: {roles: [requester]}
    ---
    kind: user
    version: v2
    metadata: {name: bob}
    spec:
      roles: [requester]
      traits: {email: [Bob@Example.com]}
    """

    static let annotations = [
        "teleport.dev/notify-services": ["platform"], "teleport.dev/teams": ["platform-team"], "teleport.dev/schedules": ["platform"],
    ]
    static let now = TestSupport.time()
    let manifests: ManifestSet

    init() throws {
        manifests = try TestSupport.manifests(Self.manifestsYAML)
    }

    func request(_ id: String, user: String = "alice@example.com", roles: [String] = ["editor"], state: RequestState = .pending,
                 reviews: [AccessReview] = [], resolveReason: String = "", annotations: [String: [String]] = PlannerTests.annotations,
                 hours: Double = 8) -> AccessRequest {
        AccessRequest(id: id, user: user, roles: roles, state: state, created: TestSupport.time(-30),
                      accessExpires: TestSupport.time(-30 + hours * 60), resourceExpires: TestSupport.time(24 * 60),
                      requestReason: "deploy", resolveReason: resolveReason, systemAnnotations: annotations, reviews: reviews)
    }

    func alert(_ id: String, request: String, origin: Alert.Origin = .tagged, cluster: String? = "teleport.example.com",
               responders: [Responder] = []) -> Alert {
        Alert(id: id, alias: AlertAlias.forRequest(request), status: .open, tags: origin == .tagged ? ["access-reconciler"] : [],
              details: cluster.map { ["teleport-cluster": $0] } ?? [:], responders: responders, createdAt: TestSupport.time(-20), origin: origin)
    }

    func plan(_ observation: Observation, policy: PlanningPolicy = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler"))) -> Plan {
        Planner(manifests: manifests, policy: policy).plan(observation, now: Self.now)
    }

    /// An observation as the observer makes it. Unless given, plugin data records every alert
    /// (as the job does after creating one), and every pending request was looked up.
    func observation(_ requests: [AccessRequest], alerts: [Alert] = [], onCall: [String: [String]] = ["platform": []],
                     pluginData: [String: PluginEntry]? = nil, lookedUp: Set<String>? = nil,
                     unknown: [String: String] = [:]) -> Observation {
        var snapshot = OnCallSnapshot()
        for (schedule, recipients) in onCall { snapshot.record(schedule: schedule, recipients: recipients) }
        let recorded = Dictionary(alerts.compactMap { alert in
            alert.requestID.map { ($0, PluginEntry(["alert_id": alert.id])) }
        }, uniquingKeysWith: { first, _ in first })
        return Observation(cluster: "teleport.example.com", requests: requests, alerts: alerts,
                           lookedUp: lookedUp ?? Set(requests.filter { $0.state == .pending }.map(\.id)), onCall: snapshot,
                           pluginData: pluginData ?? recorded, unknown: unknown)
    }

    // MARK: Creating alerts

    @Test("a pending request with a route and no open alert gets the alert Teleport's plugin would create, marked as the job's")
    func createAlert() throws {
        let policy = PlanningPolicy(priority: .p2, webProxyURL: URL(string: "https://teleport.example.com/"))
        let result = plan(observation([request("r1")]), policy: policy)
        #expect(result.actions.count == 1)
        guard case let .createAlert(create) = try #require(result.actions.first) else { Issue.record("expected a create"); return }
        #expect(create.requestID == "r1")
        #expect(create.draft.message == "Access request from alice@example.com")
        #expect(create.draft.alias == "teleport-access-request/r1")
        #expect(create.draft.description == """
            alice@example.com requested permissions for roles editor on Teleport at 25 Nov 26 07:30 UTC.
            Reason: deploy
            To approve or deny the request, proceed to https://teleport.example.com/web/requests/r1

            """)
        #expect(create.record == ["user": "alice@example.com", "roles": "editor", "created": "1795591800", "request_reason": "deploy"],
                "the request's creation time, not the run's")
        #expect(create.draft.responders == [Responder(kind: .schedule, name: "platform"), Responder(kind: .team, name: "platform-team")])
        #expect(create.draft.priority == .p2)
        #expect(create.draft.tags.contains("access-reconciler"))
        #expect(create.draft.details["teleport-cluster"] == "teleport.example.com")
        #expect(create.draft.details["teleport-request-id"] == "r1")
        #expect(create.reason.contains("has no open alert; notify schedule platform, team platform-team"))
    }

    @Test("an open alert, the job's or the hosted plugin's (found by alias), means no new alert")
    func existingAlert() {
        #expect(plan(observation([request("r1")], alerts: [alert("a1", request: "r1")])).actions.isEmpty)
        #expect(plan(observation([request("r1")], alerts: [alert("a1", request: "r1", origin: .alias, cluster: nil)])).actions.isEmpty)
    }

    @Test("plugin data recording an alert that is not open: no second alert, a finding instead")
    func recordedAlert() {
        let data = ["r1": PluginEntry(["alert_id": "gone-1"])]
        let result = plan(observation([request("r1")], pluginData: data))
        #expect(result.actions.isEmpty)
        #expect(result.findings.map(\.kind) == [.recordedAlertNotOpen])
        #expect(result.findings.first?.alertID == "gone-1")
    }

    @Test("plugin data without alert_id (the plugin failed to create it) does not stop the create")
    func pluginDataWithoutAlert() {
        let data = ["r1": PluginEntry(["user": "alice@example.com"])]
        #expect(plan(observation([request("r1")], pluginData: data)).actions(.createAlert).count == 1)
    }

    @Test("no notify-services, no teams and no defaults: no alert, finding no route; defaults give a route")
    func noRoute() {
        let routeless = request("r1", user: "carol", annotations: ["teleport.dev/schedules": ["platform"]])
        let result = plan(observation([routeless]))
        #expect(result.actions(.createAlert).isEmpty)
        #expect(result.findings.map(\.kind).contains(.noRoute))
        let withDefault = plan(observation([routeless]), policy: PlanningPolicy(defaultTeams: ["fallback"]))
        guard case let .createAlert(create)? = withDefault.actions.first else { Issue.record("expected a create"); return }
        #expect(create.draft.responders == [Responder(kind: .team, name: "fallback")])
    }

    // MARK: Auto-approval

    @Test("a requester on call in one of its schedules is approved, compared without letter case")
    func approveOnCall() throws {
        let result = plan(observation([request("r1", user: "Bob@Example.com")], alerts: [alert("a1", request: "r1")],
                                      onCall: ["platform": ["someone@example.com", "BOB@example.COM"]]))
        #expect(result.actions.map(\.kind) == [.approveRequest])
        guard case let .approveRequest(approve) = try #require(result.actions.first) else { return }
        #expect(approve.schedules == ["platform"])
        #expect(approve.reason == "bob@example.com is on call in platform")
        #expect(approve.reviewReason == "Access request automatically approved by access-reconciler: Bob@Example.com is on call in schedule(s) platform.")
    }

    @Test("identities are compared as ASCII bytes with ASCII case folded: a KELVIN SIGN or any other non-ASCII character matches nobody")
    func asciiIdentities() throws {
        let alerts = [alert("a1", request: "r1")]
        func approved(_ user: String, onCall: [String]) -> Bool {
            plan(observation([request("r1", user: user)], alerts: alerts, onCall: ["platform": onCall])).actions.map(\.kind) == [.approveRequest]
        }
        #expect(approved("KATE@x.com", onCall: ["kate@x.com"]), "ASCII letter case is folded")
        #expect(!approved("\u{212A}ate@x.com", onCall: ["kate@x.com"]), "KELVIN SIGN is not K")
        #expect(!approved("kate@x.com", onCall: ["\u{212A}ATE@x.com"]), "nor on the on-call side")
        #expect(!approved("re\u{0301}ne@x.com", onCall: ["r\u{00E9}ne@x.com"]), "canonically equivalent text is not the same bytes")
        #expect(!approved("r\u{00E9}ne@x.com", onCall: ["r\u{00E9}ne@x.com"]), "a non-ASCII name matches nobody, even itself")

        let kelvin = plan(observation([request("r1", user: "\u{212A}ate@x.com")], alerts: alerts, onCall: ["platform": ["kate@x.com"]]))
        let finding = try #require(kelvin.findings.first { $0.kind == .identityUnknown })
        #expect(finding.message.contains("outside ASCII"), "\(finding.message)")
    }

    @Test("no approval when the requester is not on call, was already reviewed by the job, or the job has no reviewer name")
    func noApproval() {
        let onCall = ["platform": ["alice@example.com"]]
        let alerts = [alert("a1", request: "r1")]
        #expect(plan(observation([request("r1", user: "bob")], alerts: alerts, onCall: onCall)).actions.isEmpty)
        let reviewed = request("r1", reviews: [AccessReview(author: "access-reconciler", proposedState: .approved, created: TestSupport.time(-5))])
        #expect(plan(observation([reviewed], alerts: alerts, onCall: onCall)).actions.isEmpty)
        #expect(plan(observation([request("r1")], alerts: alerts, onCall: onCall), policy: PlanningPolicy()).actions.isEmpty)
        let disabled = PlanningPolicy(autoApproval: AutoApprovalPolicy(enabled: false, reviewer: "access-reconciler"))
        #expect(plan(observation([request("r1")], alerts: alerts, onCall: onCall), policy: disabled).actions.isEmpty)
    }

    @Test("at most one automated approval: an approval by Teleport's approval bot, a configured one, or the job's own withholds another")
    func oneAutomatedApproval() throws {
        let onCall = ["platform": ["alice@example.com"]]
        let alerts = [alert("a1", request: "r1")]
        func approvedBy(_ author: String) -> AccessRequest {
            request("r1", reviews: [AccessReview(author: author, proposedState: .approved, created: TestSupport.time(-10))])
        }
        for author in ["@teleport-access-approval-bot", "access-reconciler"] {
            let result = plan(observation([approvedBy(author)], alerts: alerts, onCall: onCall))
            #expect(result.actions.isEmpty, "approved by \(author)")
            #expect(result.findings.map(\.kind) == [.approvalWithheld])
            #expect(result.findings.first?.message.contains("already carries an automated approval (by \(author))") == true)
        }
        let custom = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", automatedReviewers: ["pagerduty-bot"]))
        #expect(plan(observation([approvedBy("pagerduty-bot")], alerts: alerts, onCall: onCall), policy: custom).actions.isEmpty)
        #expect(plan(observation([approvedBy("@teleport-access-approval-bot")], alerts: alerts, onCall: onCall), policy: custom).actions.isEmpty,
                "a configured list adds to Teleport's approval bot, never replaces it")
        let dropped = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", countsApprovalBot: false))
        #expect(plan(observation([approvedBy("@teleport-access-approval-bot")], alerts: alerts, onCall: onCall), policy: dropped).actions.map(\.kind)
                == [.approveRequest], "only the explicit setting drops it")
        #expect(plan(observation([approvedBy("lead@example.com")], alerts: alerts, onCall: onCall)).actions.map(\.kind) == [.approveRequest],
                "a person's approval leaves room for the job's")

        // The job's earlier identity (another bot name, before a Machine ID change) is known by its review reason.
        let earlier = request("r1", reviews: [AccessReview(author: "bot-old-reconciler", proposedState: .approved,
                                                           reason: AutoApprovalPolicy.reviewReasonPrefix + "bot-old-reconciler: alice is on call in schedule(s) platform.",
                                                           created: TestSupport.time(-10))])
        let byReason = plan(observation([earlier], alerts: alerts, onCall: onCall))
        #expect(byReason.actions.isEmpty)
        #expect(byReason.findings.first { $0.kind == .approvalWithheld }?.message.contains("by bot-old-reconciler") == true)
    }

    @Test("a DENIED review, by a person or a machine, holds auto-approval back even while the request is still pending")
    func denialHoldsBack() throws {
        let onCall = ["platform": ["alice@example.com"]]
        for author in ["lead@example.com", "@teleport-access-approval-bot"] {
            let denied = request("r1", reviews: [AccessReview(author: author, proposedState: .denied, created: TestSupport.time(-10))])
            let result = plan(observation([denied], alerts: [alert("a1", request: "r1")], onCall: onCall))
            #expect(result.actions.isEmpty, "denied by \(author)")
            let finding = try #require(result.findings.first { $0.kind == .approvalWithheld })
            #expect(finding.message.contains("\(author) denied it"), "\(finding.message)")
        }
    }

    @Test("approval only on schedules both the manifests and the request's own annotation name; the difference is drift")
    func scheduleIntersection() throws {
        let manifests = try TestSupport.manifests(Self.manifestsYAML.replacingOccurrences(of: "teleport.dev/schedules: [platform]",
                                                                                          with: "teleport.dev/schedules: [platform, backup]"))
        let planner = Planner(manifests: manifests, policy: PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler")))
        let alerts = [alert("a1", request: "r1")]
        var snapshot = OnCallSnapshot()
        snapshot.record(schedule: "platform", recipients: ["someone@example.com"])
        snapshot.record(schedule: "backup", recipients: ["alice@example.com"])
        var observed = observation([request("r1")], alerts: alerts)
        observed.onCall = snapshot
        let onlyBackup = planner.plan(observed, now: Self.now)
        #expect(onlyBackup.actions.isEmpty)
        let withheld = try #require(onlyBackup.findings.first { $0.kind == .approvalWithheld })
        #expect(withheld.message.contains("alice@example.com is on call in backup, but the request's own teleport.dev/schedules annotation does not name backup"))
        #expect(onlyBackup.findings.contains { $0.kind == .annotationDrift && $0.message.contains("teleport.dev/schedules") })

        snapshot.record(schedule: "platform", recipients: ["alice@example.com"])
        observed.onCall = snapshot
        let both = planner.plan(observed, now: Self.now)
        guard case let .approveRequest(approve)? = both.actions.first else { Issue.record("expected an approval"); return }
        #expect(approve.schedules == ["platform"], "approved on the intersection only")
    }

    @Test("the user name is who counts by default; the email trait and the domain count only when chosen")
    func approvalIdentity() {
        // bob's user manifest carries the email trait Bob@Example.com.
        let onCall = ["platform": ["bob@example.com", "carol@corp.example"]]
        let alerts = [alert("a1", request: "r1")]
        let users = manifests
        func result(_ user: String, _ identity: ApprovalIdentity, domain: String? = nil) -> Plan {
            let policy = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", identity: identity, emailDomain: domain))
            var observed = observation([request("r1", user: user)], alerts: alerts, onCall: onCall)
            // Teleport's live users say what the manifests say.
            observed.users = ["bob": .found(TeleportUser(name: "bob", traits: ["email": ["Bob@Example.com"]])), "carol": .found(TeleportUser(name: "carol"))]
            return Planner(manifests: users, policy: policy).plan(observed, now: Self.now)
        }
        let byDefault = result("bob", .user)
        #expect(byDefault.actions.isEmpty)
        #expect(byDefault.findings.map(\.kind).contains(.identityUnknown))
        #expect(result("bob", .emailTrait).actions.map(\.kind) == [.approveRequest])
        #expect(result("carol", .emailDomain, domain: "corp.example").actions.map(\.kind) == [.approveRequest])
        #expect(result("carol", .emailTrait).actions.isEmpty)
    }

    @Test("email_trait: Teleport's live user decides; the manifest only where users cannot be read, and the report says so", arguments: [
        // (what the observation read of bob, approved?, the finding expected, words it must hold)
        (LiveUser.found(TeleportUser(name: "bob", traits: ["email": ["bob@example.com"]])), true, nil, ""),
        // The manifest still says Bob@Example.com, who is on call; Teleport's user has moved on.
        (.found(TeleportUser(name: "bob", traits: ["email": ["bob@elsewhere.example"]])), false, nil, ""),
        (.found(TeleportUser(name: "bob", traits: ["logins": ["bob"]])), false, Finding.Kind.identityUnknown, "Teleport's user bob has no e-mail address"),
        (.notFound, false, .identityUnknown, "Teleport has no user bob"),
        (.failed(reason: "deadline exceeded"), false, .identityUnknown, "reading Teleport's user bob failed (deadline exceeded)"),
        (nil, false, .identityUnknown, "Teleport's user bob was not read"),
        (.unreadable(reason: "PERMISSION_DENIED: access denied"), true, .traitsFromManifests, "grant its role `read` on `user`"),
    ] as [(LiveUser?, Bool, Finding.Kind?, String)])
    func liveEmailTrait(_ live: LiveUser?, approves: Bool, finding: Finding.Kind?, words: String) {
        let policy = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", identity: .emailTrait))
        var observed = observation([request("r1", user: "bob")], alerts: [alert("a1", request: "r1")], onCall: ["platform": ["bob@example.com"]])
        observed.users = live.map { ["bob": $0] } ?? [:]
        let plan = Planner(manifests: manifests, policy: policy).plan(observed, now: Self.now)
        #expect(plan.actions.contains { $0.kind == .approveRequest } == approves, "\(plan.findings)")
        if let finding {
            #expect(plan.findings.contains { $0.kind == finding && $0.requestID == "r1" && $0.message.contains(words) }, "\(plan.findings)")
        }
        #expect(plan.findings.contains { $0.kind == .traitsFromManifests } == (finding == .traitsFromManifests))
    }

    @Test("auto_approval.max_request_age leaves older requests to a person")
    func maxRequestAge() {
        let onCall = ["platform": ["alice@example.com"]]
        let alerts = [alert("a1", request: "r1")]
        let young = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", maxRequestAge: .seconds(15 * 60)))
        let result = plan(observation([request("r1")], alerts: alerts, onCall: onCall), policy: young)
        #expect(result.actions.isEmpty)
        #expect(result.findings.first?.message.contains("created 30m ago and auto-approval is limited to requests younger than 15m") == true,
                "\(result.findings)")
        let hour = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", maxRequestAge: .seconds(3600)))
        #expect(plan(observation([request("r1")], alerts: alerts, onCall: onCall), policy: hour).actions.map(\.kind) == [.approveRequest])
    }

    @Test("an unknown on-call list approves nothing and says so")
    func onCallUnknown() {
        var snapshot = OnCallSnapshot()
        snapshot.schedules["platform"] = .unknown(reason: "HTTP 503")
        var observed = observation([request("r1")], alerts: [alert("a1", request: "r1")])
        observed.onCall = snapshot
        let result = plan(observed)
        #expect(result.actions.isEmpty)
        #expect(result.findings.map(\.kind) == [.onCallUnknown])
        #expect(result.findings[0].message.contains("platform (HTTP 503)"))
    }

    @Test("a partial on-call list is used for what it proves: a named requester is approved, anyone else is unknown, never off call")
    func onCallPartial() throws {
        var snapshot = OnCallSnapshot()
        snapshot.schedules["platform"] = .partial(["bob@example.com"], unnamed: ["5b00c0ffee"], reason: "the address is hidden")
        let alerts = [alert("a1", request: "r1"), alert("a2", request: "r2")]
        var observed = observation([request("r1", user: "bob@example.com"), request("r2", user: "carol@example.com")], alerts: alerts)
        observed.onCall = snapshot
        let result = plan(observed)
        #expect(result.actions.map(\.kind) == [.approveRequest])
        guard case let .approveRequest(approve) = try #require(result.actions.first) else { return }
        #expect(approve.requestID == "r1" && approve.schedules == ["platform"])
        let unknown = result.findings.filter { $0.kind == .onCallUnknown }
        #expect(unknown.map(\.requestID) == ["r2"])
        let finding = try #require(unknown.first)
        #expect(finding.message.contains("5b00c0ffee") && finding.message.contains("the address is hidden"), "\(finding.message)")

        // A schedule of unnamed people only is no proof either way.
        snapshot.schedules["platform"] = .partial([], unnamed: ["5b00c0ffee"], reason: "the address is hidden")
        observed.onCall = snapshot
        let none = plan(observed)
        #expect(none.actions.isEmpty)
        #expect(none.findings.filter { $0.kind == .onCallUnknown }.map(\.requestID) == ["r1", "r2"])
    }

    @Test("the policy can limit auto-approval to listed roles and a maximum duration")
    func approvalPolicy() throws {
        let onCall = ["platform": ["alice@example.com"]]
        let alerts = [alert("a1", request: "r1")]
        let limited = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler", roles: [try RoleMatcher("editor")], maxDuration: .seconds(4 * 3600)))
        let dbRequest = request("r1", roles: ["db-admin", "editor"], hours: 2)
        let roleResult = plan(observation([dbRequest], alerts: alerts, onCall: onCall), policy: limited)
        #expect(roleResult.actions.isEmpty)
        #expect(roleResult.findings.map(\.kind) == [.approvalWithheld])
        #expect(roleResult.findings[0].message.contains("db-admin is not among them"))

        let long = plan(observation([request("r1", hours: 8)], alerts: alerts, onCall: onCall), policy: limited)
        #expect(long.actions.isEmpty)
        #expect(long.findings.first?.message.contains("it asks for 8h and auto-approval is limited to 4h") == true)

        #expect(plan(observation([request("r1", hours: 2)], alerts: alerts, onCall: onCall), policy: limited).actions.map(\.kind) == [.approveRequest])
    }

    @Test("a request for several roles is approved only when every role routes to a schedule the requester is on call in")
    func multiRoleApproval() throws {
        let manifests = try TestSupport.manifests("""
        kind: role
        version: v7
        metadata: {name: web-requester}
        spec:
          allow:
            request:
              roles: [web]
              annotations: {teleport.dev/notify-services: [web-oncall], teleport.dev/schedules: [web-oncall]}
        ---
        kind: role
        version: v7
        metadata: {name: db-requester}
        spec:
          allow:
            request:
              roles: [db]
              annotations: {teleport.dev/notify-services: [db-oncall], teleport.dev/schedules: [db-oncall]}
        ---
        kind: user
        version: v2
        metadata: {name: carol@example.com}
        spec: {roles: [web-requester, db-requester]}
        """)
        let planner = Planner(manifests: manifests, policy: PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler")))
        let both = ["teleport.dev/notify-services": ["db-oncall", "web-oncall"], "teleport.dev/schedules": ["db-oncall", "web-oncall"]]
        let web = ["teleport.dev/notify-services": ["web-oncall"], "teleport.dev/schedules": ["web-oncall"]]
        func approvals(_ request: AccessRequest, onCall: [String: [String]]) -> (approved: [[String]], withheld: [String]) {
            let plan = planner.plan(observation([request], alerts: [alert("a1", request: request.id)], onCall: onCall), now: Self.now)
            return (plan.actions.compactMap { if case let .approveRequest(approve) = $0 { approve.schedules } else { nil } },
                    plan.findings.filter { $0.kind == .approvalWithheld }.map(\.message))
        }

        // On call for the web role's schedule only: the db role is not approved through it.
        let webOnly = approvals(request("r1", user: "carol@example.com", roles: ["web", "db"], annotations: both),
                                onCall: ["web-oncall": ["carol@example.com"], "db-oncall": ["dan@example.com"]])
        #expect(webOnly.approved.isEmpty)
        #expect(webOnly.withheld.count == 1 && webOnly.withheld[0].contains("db (routed to db-oncall) is not"), "\(webOnly.withheld)")
        // On call in both: approved, on both schedules.
        let inBoth = approvals(request("r1", user: "carol@example.com", roles: ["web", "db"], annotations: both),
                               onCall: ["web-oncall": ["carol@example.com"], "db-oncall": ["carol@example.com"]])
        #expect(inBoth.approved == [["db-oncall", "web-oncall"]])
        // One role, its own schedule: approved as before.
        #expect(approvals(request("r1", user: "carol@example.com", roles: ["web"], annotations: web), onCall: ["web-oncall": ["carol@example.com"]]).approved == [["web-oncall"]])

        // Without manifests for the requester, the live list cannot say which role routes where.
        let unknownUser = approvals(request("r1", user: "erin@example.com", roles: ["web", "db"], annotations: both),
                                    onCall: ["web-oncall": ["erin@example.com"], "db-oncall": ["erin@example.com"]])
        #expect(unknownUser.approved.isEmpty)
        #expect(unknownUser.withheld.first?.contains("cannot tell which role routes to which schedule") == true, "\(unknownUser.withheld)")
        #expect(approvals(request("r1", user: "erin@example.com", roles: ["web"], annotations: web), onCall: ["web-oncall": ["erin@example.com"]]).approved == [["web-oncall"]],
                "one role: the live annotations are that role's")
        // No role at all: nothing to approve.
        let noRole = approvals(request("r1", user: "erin@example.com", roles: [], annotations: web), onCall: ["web-oncall": ["erin@example.com"]])
        #expect(noRole.approved.isEmpty)
        #expect(noRole.withheld.first?.contains("the request names no role") == true, "\(noRole.withheld)")
    }

    @Test("no e-mail address for the requester: nothing approved, a finding")
    func identityUnknown() {
        let result = plan(observation([request("r1", user: "carol")], alerts: [alert("a1", request: "r1")], onCall: ["platform": ["carol@example.com"]]))
        #expect(result.actions.isEmpty)
        #expect(result.findings.map(\.kind).contains(.identityUnknown))
    }

    // MARK: Resolution

    @Test("a resolved request: one note per review not yet posted, then close with the resolution")
    func resolvedRequest() throws {
        let reviews = [
            AccessReview(author: "dba@example.com", proposedState: .approved, reason: "fine", created: TestSupport.time(-20)),
            AccessReview(author: "lead@example.com", proposedState: .approved, created: TestSupport.time(-10)),
        ]
        let approved = request("r1", state: .approved, reviews: reviews, resolveReason: "fine")
        let data = ["r1": PluginEntry(["alert_id": "a1", "reviews_count": "1"])]
        let result = plan(observation([approved], alerts: [alert("a1", request: "r1")], pluginData: data))
        #expect(result.actions.map(\.kind) == [.addNote, .closeAlert])
        guard case let .addNote(note) = result.actions[0], case let .closeAlert(close) = result.actions[1] else { return }
        // Byte for byte the plugin's template: the reason line is empty when there is no reason.
        #expect(note.note == "lead@example.com reviewed the request at 25 Nov 26 07:50 UTC.\nResolution: APPROVED.\n")
        #expect(note.reviewsCountAfter == 2)
        #expect(close.alertID == "a1")
        #expect(close.resolution == .approved)
        #expect(close.note == "Access request has been approved\nReason: fine")
        #expect(close.record == ["resolution": "approved", "resolve_reason": "fine", "reconciler_checked": "approved"])
    }

    @Test("denied and promoted requests close with their resolution", arguments: [RequestState.denied, .promoted])
    func otherResolutions(_ state: RequestState) throws {
        let result = plan(observation([request("r1", state: state)], alerts: [alert("a1", request: "r1")]))
        guard case let .closeAlert(close)? = result.actions.last else { Issue.record("expected a close"); return }
        #expect(close.resolution == Resolution(state: state))
    }

    @Test("a request Teleport deleted closes its alert as expired")
    func deletedRequest() throws {
        let result = plan(observation([], alerts: [alert("a1", request: "gone")]))
        guard case let .closeAlert(close)? = result.actions.first else { Issue.record("expected a close"); return }
        #expect(close.resolution == .expired)
        #expect(close.note == "Access request has been expired\n")
        #expect(close.reason.contains("no longer exists"))
    }

    @Test("a pending request past its expiry: its alert closes as expired, nothing is created or approved")
    func expiredPending() {
        var expired = request("r1")
        expired.resourceExpires = TestSupport.time(-1)
        let withAlert = plan(observation([expired], alerts: [alert("a1", request: "r1")], onCall: ["platform": ["alice@example.com"]]))
        #expect(withAlert.actions.map(\.kind) == [.closeAlert])
        #expect(plan(observation([expired])).actions.map(\.kind) == [.recordResolution], "looked up, no alert open: only the record")
    }

    // MARK: Catching up what Teleport's plugin left

    /// The plugin's alert found by alias: no tags, no details.
    func pluginAlert(_ id: String, request: String) -> Alert { alert(id, request: request, origin: .alias, cluster: nil) }

    @Test("approved, the plugin recorded the resolution but its close never happened: notes, then close")
    func resolutionRecordedAlertOpen() throws {
        let approved = request("r1", state: .approved, reviews: [AccessReview(author: "lead@example.com", proposedState: .approved, created: TestSupport.time(-5))],
                               resolveReason: "ok")
        let data = ["r1": PluginEntry(["alert_id": "a1", "resolution": "approved", "resolve_reason": "ok"])]
        let result = plan(observation([approved], alerts: [pluginAlert("a1", request: "r1")], pluginData: data, lookedUp: ["r1"]))
        #expect(result.actions.map(\.kind) == [.addNote, .closeAlert])
        guard case let .closeAlert(close)? = result.actions.last else { return }
        #expect(close.record == ["reconciler_checked": "approved"], "the plugin's recorded resolution is kept")
    }

    @Test("denied, the plugin wrote its record but not the alert id: the alert found by alias is closed")
    func deniedWithoutAlertID() {
        let denied = request("r1", state: .denied, resolveReason: "no")
        let data = ["r1": PluginEntry(["user": "alice@example.com", "roles": "editor"])]
        let result = plan(observation([denied], alerts: [pluginAlert("a1", request: "r1")], pluginData: data, lookedUp: ["r1"]))
        #expect(result.actions.map(\.kind) == [.closeAlert])
        #expect(result.actions.first?.alertID == "a1")
    }

    @Test("approved, no plugin data at all: the alert found by alias is closed")
    func approvedWithoutPluginData() {
        let result = plan(observation([request("r1", state: .approved)], alerts: [pluginAlert("a1", request: "r1")], pluginData: [:], lookedUp: ["r1"]))
        #expect(result.actions.map(\.kind) == [.closeAlert])
    }

    @Test("pending, no plugin data, an open alert with the alias: adopt it (record its id), never create")
    func adoptPendingAlert() throws {
        let result = plan(observation([request("r1")], alerts: [pluginAlert("a1", request: "r1")], pluginData: [:], lookedUp: ["r1"]))
        #expect(result.actions.map(\.kind) == [.recordAlert])
        guard case let .recordAlert(record)? = result.actions.first else { return }
        #expect(record.set == ["alert_id": "a1", "user": "alice@example.com", "roles": "editor", "created": "1795591800", "request_reason": "deploy"])
        #expect(record.reason.contains("adopting it"))
    }

    @Test("the job's own alert missing from plugin data is recorded, keeping what the plugin wrote")
    func repairRecord() throws {
        let data = ["r1": PluginEntry(["user": "alice@example.com", "created": "1"])]
        let result = plan(observation([request("r1")], alerts: [alert("a1", request: "r1")], pluginData: data))
        guard case let .recordAlert(record)? = result.actions.first else { Issue.record("expected a record"); return }
        #expect(record.set == ["alert_id": "a1", "roles": "editor", "request_reason": "deploy"])
    }

    @Test("no alert is created for a pending request whose alias was not looked up")
    func noCreateWithoutLookup() {
        let result = plan(observation([request("r1")], lookedUp: []))
        #expect(result.actions.isEmpty)
        #expect(result.findings.map(\.kind) == [.lookupFailed])
    }

    @Test("a resolved or deleted request looked up with no open alert is recorded once; a checked one needs nothing")
    func resolutionRecords() throws {
        let gone = ["gone": PluginEntry(["alert_id": "a9"])]
        let result = plan(observation([request("r1", state: .denied, resolveReason: "no")], pluginData: gone, lookedUp: ["r1", "gone"]))
        #expect(result.actions.map(\.kind) == [.recordResolution, .recordResolution])
        guard case let .recordResolution(deleted) = result.actions[0], case let .recordResolution(denied) = result.actions[1] else { return }
        #expect(deleted.requestID == "gone" && deleted.set == ["resolution": "expired", "resolve_reason": "", "reconciler_checked": "expired"])
        #expect(denied.set == ["resolution": "denied", "resolve_reason": "no", "reconciler_checked": "denied"])
        let checked = ["r1": PluginEntry(["resolution": "denied", "reconciler_checked": "denied"])]
        #expect(plan(observation([request("r1", state: .denied)], pluginData: checked, lookedUp: ["r1"])).actions.isEmpty)
    }

    @Test("which requests the observer looks up: not the job's tagged ones, not those it has seen closed, not routeless ones")
    func lookupSelection() {
        let now = Self.now
        var expired = request("expired")
        expired.resourceExpires = TestSupport.time(-1)
        let requests = [request("tagged"), request("pending"), request("routeless"), request("approved", state: .approved),
                        request("checked", state: .denied), expired]
        let data: [String: PluginEntry] = [
            "checked": PluginEntry(["reconciler_checked": "denied"]),
            "gone": PluginEntry(["alert_id": "a1"]),
            "gone-checked": PluginEntry(["reconciler_checked": "expired"]),
        ]
        let selected = Observer.requestsToLookUp(requests: requests, pluginData: data, tagged: ["tagged"], now: now,
                                                 routable: { $0.id != "routeless" })
        #expect(selected == ["approved", "expired", "gone", "pending"])
    }

    // MARK: Drift and ownership

    @Test("live annotations that differ from the manifests are drift")
    func annotationDrift() {
        let stale = request("r1", annotations: ["teleport.dev/notify-services": ["old"], "teleport.dev/schedules": ["platform"]])
        let result = plan(observation([stale], alerts: [alert("a1", request: "r1")]))
        let drift = result.findings.filter { $0.kind == .annotationDrift }
        #expect(drift.count == 1)
        #expect(drift.first?.message.contains("teleport.dev/notify-services is [old], manifests give [platform]") == true)
        #expect(!result.isInSync)
    }

    @Test("an open alert whose responders differ from the desired ones is drift")
    func responderDrift() {
        let alerted = alert("a1", request: "r1", responders: [Responder(kind: .schedule, name: "PLATFORM"), Responder(kind: .team, name: "other")])
        let result = plan(observation([request("r1")], alerts: [alerted]))
        #expect(result.findings.map(\.kind) == [.responderDrift])
        #expect(result.findings[0].message.contains("missing team platform-team; not expected team other"))
        let matching = alert("a1", request: "r1", responders: [Responder(kind: .team, name: "platform-team"), Responder(kind: .schedule, name: "platform")])
        #expect(plan(observation([request("r1")], alerts: [matching])).isInSync)
    }

    @Test("alerts of another cluster, or not about a request, are never touched")
    func ownership() {
        let foreign = alert("a1", request: "gone", cluster: "staging.example.com")
        var odd = alert("a2", request: "x")
        odd.alias = "disk-full/db-1"
        var untagged = odd
        untagged.id = "a3"
        untagged.tags = []
        untagged.origin = .alias
        let result = plan(observation([], alerts: [foreign, odd, untagged]))
        #expect(result.actions.isEmpty)
        #expect(result.findings.map(\.kind) == [.unrecognisedAlert])
        #expect(result.findings.first?.alertID == "a2")
    }

    @Test("a request whose lookup failed: nothing created, closed or approved for it; the others go ahead")
    func lookupFailed() {
        let requests = [request("r1"), request("r2", state: .approved), request("r3"), request("r4", state: .denied)]
        let alerts = [alert("a2", request: "r2"), alert("a4", request: "r4")]
        let result = plan(observation(requests, alerts: alerts, onCall: ["platform": ["alice@example.com"]],
                                      unknown: ["r1": "looking up the alert failed: HTTP 503", "r2": "reading alert a2 failed: timeout"]))
        #expect(result.actions.map(\.requestID).allSatisfy { $0 == "r3" || $0 == "r4" }, "\(result.actions)")
        #expect(Set(result.actions.map(\.kind)) == [.createAlert, .approveRequest, .closeAlert])
        #expect(result.findings.filter { $0.kind == .lookupFailed }.map(\.requestID) == ["r1", "r2"])
        #expect(result.findings.first { $0.requestID == "r1" }?.message.hasPrefix("looking up the alert failed: HTTP 503; nothing is created") == true)
    }

    @Test("the plan is deterministic: input order does not matter, and actions are ordered per request")
    func deterministic() {
        let requests = (1...20).map { request("r\($0)", state: $0 % 3 == 0 ? .approved : .pending) }
        let alerts = (1...20).filter { $0 % 2 == 0 }.map { alert("a\($0)", request: "r\($0)") }
        let first = plan(observation(requests, alerts: alerts, onCall: ["platform": ["alice@example.com"]]))
        let second = plan(observation(requests.reversed(), alerts: alerts.reversed(), onCall: ["platform": ["alice@example.com"]]))
        #expect(first == second)
        #expect(first.actions.map(\.requestID) == first.actions.map(\.requestID).sorted())
    }

    @Test("planning in shares at the same time gives the same plan as one pass", arguments: [2, 3, 7])
    func sharesGiveTheSamePlan(workers: Int) {
        let states: [RequestState] = [.pending, .approved, .denied, .pending, .promoted, .pending]
        var requests = (1...90).map { number in
            request(String(format: "r%03d", number), user: number % 4 == 0 ? "bob" : "alice@example.com", state: states[number % states.count],
                    reviews: number % 5 == 0 ? [AccessReview(author: "lead@example.com", proposedState: .approved, reason: "ok", created: TestSupport.time(-5))] : [],
                    annotations: number % 9 == 0 ? ["teleport.dev/schedules": ["platform"]] : PlannerTests.annotations)
        }
        requests.append(request("r010", state: .denied))  // listed twice: the last copy counts
        var alerts = (1...90).filter { $0 % 4 != 1 }.map { alert(String(format: "a%03d", $0), request: String(format: "r%03d", $0)) }
        alerts += (91...99).map { alert("a\($0)", request: "r\($0)") }  // requests gone: alerts closed as expired
        alerts.append(Alert(id: "x1", alias: "someone-else/1", tags: ["access-reconciler"], details: ["teleport-cluster": "teleport.example.com"],
                            createdAt: TestSupport.time(-20)))
        alerts.append(pluginAlert("a002", request: "r002"))  // the listed copy wins
        var recorded: [String: PluginEntry] = [:]  // requests ending in 3 have lost their record: adopted
        for alert in alerts { if let id = alert.requestID, !id.hasSuffix("3") { recorded[id] = PluginEntry(["alert_id": alert.id]) } }
        let observed = observation(requests, alerts: alerts, onCall: ["platform": ["alice@example.com", "bob@example.com"]], pluginData: recorded,
                                   lookedUp: Set(requests.map(\.id) + ["r200", "r201"]), unknown: ["r030": "HTTP 503", "r077": "HTTP 503"])
        let policy = PlanningPolicy(autoApproval: AutoApprovalPolicy(reviewer: "access-reconciler"))
        let one = Planner(manifests: manifests, policy: policy, workers: 1).plan(observed, now: Self.now)
        let shared = Planner(manifests: manifests, policy: policy, workers: workers, minimumShare: 1).plan(observed, now: Self.now)
        #expect(Set(one.actions.map(\.kind)) == [.createAlert, .approveRequest, .addNote, .closeAlert, .recordAlert, .recordResolution])
        #expect(one.findings.contains { $0.kind == .unrecognisedAlert })
        #expect(one.findings.contains { $0.kind == .lookupFailed && $0.requestID == "r077" })
        #expect(shared == one)
    }
}
