import AccessReconciler
import Testing

@Suite("Desired annotations and routing")
struct DesiredStateTests {
    static let manifestsYAML = """
    kind: role
    version: v7
    metadata: {name: requester}
    spec:
      allow:
        request:
          roles: [editor]
          annotations:
            teleport.dev/notify-services: [platform-oncall, platform-oncall]
            teleport.dev/schedules: [platform-oncall]
            teleport.dev/teams: ['{{external.team}}-team', '{{external.missing}}']
    ---
    kind: role
    version: v7
    metadata: {name: db-requester}
    spec:
      allow:
        request:
          roles: ['db-*']
          annotations:
            teleport.dev/notify-services: [dba-oncall]
    ---
    kind: role
    version: v7
    metadata: {name: restricted}
    spec:
      deny:
        request:
          annotations:
            teleport.dev/notify-services: [dba-oncall]
    ---
    kind: user
    version: v2
    metadata: {name: alice}
    spec:
      roles: [requester, db-requester]
      traits: {team: [payments]}
    ---
    kind: user
    version: v2
    metadata: {name: bob}
    spec:
      roles: [requester, db-requester, restricted]
    ---
    kind: user
    version: v2
    metadata: {name: ghost}
    spec:
      roles: [requester, deleted-role]
    """

    let resolver: AnnotationResolver

    init() throws {
        resolver = AnnotationResolver(manifests: try TestSupport.manifests(Self.manifestsYAML))
    }

    @Test("only roles that allow a requested role contribute; values are sorted and de-duplicated")
    func contributingRoles() {
        let editor = resolver.resolve(user: "alice", requestedRoles: ["editor"], live: [:])
        #expect(editor.source == .manifests)
        #expect(editor.contributingRoles == ["requester"])
        #expect(editor.annotations == [
            "teleport.dev/notify-services": ["platform-oncall"],
            "teleport.dev/schedules": ["platform-oncall"],
            "teleport.dev/teams": ["payments-team"],
        ])
        #expect(editor.skippedTemplates == ["teleport.dev/teams: {{external.missing}}"])

        let both = resolver.resolve(user: "alice", requestedRoles: ["db-reader", "editor"], live: [:])
        #expect(both.contributingRoles == ["db-requester", "requester"])
        #expect(both.annotations["teleport.dev/notify-services"] == ["dba-oncall", "platform-oncall"])
    }

    @Test("exactly denied annotation pairs are removed")
    func deniedPairs() {
        let desired = resolver.resolve(user: "bob", requestedRoles: ["db-reader", "editor"], live: [:])
        #expect(desired.annotations["teleport.dev/notify-services"] == ["platform-oncall"])
    }

    @Test("requested roles the manifests do not allow are named")
    func unrequestable() {
        let desired = resolver.resolve(user: "alice", requestedRoles: ["admin", "editor"], live: [:])
        #expect(desired.unrequestableRoles == ["admin"])
    }

    @Test("no user manifest, or a held role without manifest: the live annotations are used")
    func liveFallback() {
        let live = ["teleport.dev/teams": ["b", "a", "a"]]
        let unknown = resolver.resolve(user: "carol", requestedRoles: ["editor"], live: live)
        #expect(unknown.source == .liveFallback(reason: "no user manifest for \"carol\""))
        #expect(unknown.annotations == ["teleport.dev/teams": ["a", "b"]])
        let ghost = resolver.resolve(user: "ghost", requestedRoles: ["editor"], live: live)
        #expect(ghost.source == .liveFallback(reason: "user \"ghost\" holds role(s) \"deleted-role\" with no manifest"))
    }

    @Test("a look's requests are resolved once: one answer per user and roles from the manifests, a live fallback per request, and a request asked about with other roles gets the answer for those roles")
    func routesOfALook() throws {
        let desired = DesiredState(manifests: try TestSupport.manifests(Self.manifestsYAML), policy: PlanningPolicy(defaultTeams: ["fallback-team"]))
        func request(_ id: String, user: String, roles: [String], live: [String: [String]] = [:]) -> AccessRequest {
            AccessRequest(id: id, user: user, roles: roles, created: TestSupport.time(-30), accessExpires: TestSupport.time(60),
                          resourceExpires: TestSupport.time(60), systemAnnotations: live)
        }
        let requests = [
            request("r1", user: "alice", roles: ["editor"]),
            request("r2", user: "alice", roles: ["editor"]),
            request("r3", user: "alice", roles: ["db-reader", "editor"]),
            request("r4", user: "carol", roles: ["editor"], live: ["teleport.dev/teams": ["t1"]]),
            request("r5", user: "carol", roles: ["editor"], live: ["teleport.dev/teams": ["t2"]]),
        ]
        let routes = desired.routes(for: requests)
        #expect(routes.distinctRoutes == 4, "r1 and r2 share one answer; each fallback is its own")
        for listed in requests {
            #expect(routes[listed] == desired.route(for: listed), "\(listed.id)")
        }
        #expect(routes[requests[3]]?.routing.responders == [Responder(kind: .team, name: "t1")])
        #expect(routes[requests[4]]?.routing.responders == [Responder(kind: .team, name: "t2")])
        var single = requests[2]
        single.roles = ["editor"]
        #expect(routes[single] == desired.route(for: single), "a request rewritten to one role gets that role's answer, never the whole request's")
        #expect(routes[single] != routes[requests[2]])
        #expect(routes[request("r9", user: "carol", roles: ["editor"])] == nil, "a fallback answers only its own request")
    }

    @Test("routing: annotations first, configured defaults when absent, UUIDs as ids")
    func routing() {
        let policy = PlanningPolicy(defaultSchedules: ["default-schedule"], defaultTeams: ["default-team"])
        let annotated = Routing(annotations: ["teleport.dev/notify-services": ["s1"], "teleport.dev/teams": ["4513b7ea-3b91-438f-b7e4-e3e54af9147c"]], policy: policy)
        #expect(annotated.responders == [Responder(kind: .schedule, name: "s1"), Responder(kind: .team, id: "4513b7ea-3b91-438f-b7e4-e3e54af9147c")])
        #expect(!annotated.usesDefaultSchedules && !annotated.usesDefaultTeams)

        let defaults = Routing(annotations: [:], policy: policy)
        #expect(defaults.responders == [Responder(kind: .schedule, name: "default-schedule"), Responder(kind: .team, name: "default-team")])
        #expect(defaults.usesDefaultSchedules && defaults.usesDefaultTeams)

        #expect(!Routing(annotations: ["teleport.dev/schedules": ["s"]], policy: PlanningPolicy()).hasRoute)
    }

    @Test("the routing table of the example manifests")
    func routingTable() throws {
        let manifests = try ManifestLoader().load(path: TestSupport.manifestsPath)
        let table = RoutingTable(manifests: manifests, policy: PlanningPolicy())
        let editor = try #require(table.rows.first { $0.role == "editor" })
        #expect(editor.grantedBy == ["requester"])
        #expect(editor.notifySchedules == ["teleport-access-request-notifications"])
        #expect(editor.teams == ["teleport-team"])
        #expect(editor.approvalSchedules == ["teleport-access-alert-schedules"])
        #expect(editor.users == ["alice@example.com", "myuser@example.com"])
        let reader = try #require(table.rows.first { $0.role == "db-reader-payments" })
        #expect(reader.teams == ["payments-team"], "the team comes from the users' team trait")
        #expect(reader.users == ["alice@example.com", "bob"])
        #expect(!table.rows.contains { $0.role == "access-reconciler" }, "roles nobody may request are not listed")
        #expect(table.render().contains("role editor\n  granted by:          requester"))
    }
}
