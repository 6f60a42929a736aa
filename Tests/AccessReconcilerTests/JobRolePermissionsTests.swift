import AccessReconciler
import Foundation
import Testing

/// What `check` computes from the job's own roles, as plain values: Teleport's allow-and-no-deny
/// rule, and "undecided" (never "allowed") wherever only Teleport can tell.
@Suite("The job's role permissions, as check computes them")
struct JobRolePermissionsTests {
    static func role(_ yaml: String) throws -> Role {
        try #require(try TestSupport.manifests(yaml).roles.values.first)
    }

    /// A role `job` with this `spec:` (its lines indented by two spaces).
    static func role(spec: String) throws -> Role {
        try role("kind: role\nversion: v7\nmetadata: {name: job}\nspec:\n" + spec)
    }

    static let jobRole = """
        kind: role
        version: v7
        metadata: {name: job}
        spec:
          allow:
            rules:
              - resources: ['access_request']
                verbs: ['list', 'read']
              - resources: ['access_plugin_data']
                verbs: ['update']
            review_requests:
              roles: ['editor', 'db-reader-*', '^ops-(a|b)$']
          deny:
            review_requests:
              roles: ['db-reader-prod']
        """

    @Test("review_requests and rules are read from the manifest, with their `where` predicates")
    func decoded() throws {
        let role = try Self.role(spec: """
              allow:
                rules:
                  - resources: ['user']
                    verbs: ['read']
                    where: 'contains(user.spec.roles, "x")'
                review_requests:
                  roles: ['editor']
                  claims_to_roles:
                    - {claim: team, value: '*', roles: ['db-reader-$1']}
                  where: 'contains(request.system_annotations["x"], "y")'
            """)
        #expect(role.allowRules == [ResourceRule(resources: ["user"], verbs: ["read"], condition: "contains(user.spec.roles, \"x\")")])
        #expect(role.allowReview?.roles.map(\.source) == ["editor"])
        #expect(role.allowReview?.claimsToRoles.map(\.claim) == ["team"])
        #expect(role.allowReview?.condition.hasPrefix("contains(request") == true)
        #expect(role.denyReview == nil)
    }

    @Test("a bad pattern in review_requests is an error naming the file and line")
    func badPattern() throws {
        let error = try #require(throws: ManifestErrors.self) {
            try TestSupport.manifests("kind: role\nversion: v7\nmetadata: {name: job}\nspec:\n  allow:\n    review_requests:\n      roles: ['^ops-($']\n")
        }
        #expect(error.description.contains("manifests.yaml:7"), "\(error)")
    }

    @Test("reviewable: an allow pattern matches and no deny does; a deny wins; nothing matching fails", arguments: [
        ("editor", CheckLine.Status.passed), ("db-reader-payments", .passed), ("ops-a", .passed),
        ("db-reader-prod", .failed), ("db-writer-payments", .failed), ("ops-c", .failed),
    ])
    func review(role requested: String, expected: CheckLine.Status) throws {
        let permissions = JobRolePermissions(defined: [try Self.role(Self.jobRole)], undefined: [])
        #expect(permissions.review(requested) == expected)
    }

    @Test("only Teleport can tell: a `where:` predicate, claims_to_roles, or a held role not read is undecided, never passed")
    func undecided() throws {
        let conditional = try Self.role(spec: """
              allow:
                review_requests:
                  roles: ['editor']
                  where: 'equals(request.reason, "x")'
                rules:
                  - resources: ['access_plugin_data']
                    verbs: ['update']
                    where: 'false'
            """)
        let withCondition = JobRolePermissions(defined: [conditional], undefined: [])
        #expect(withCondition.review("editor") == .undecided)
        #expect(withCondition.review("other") == .failed)
        #expect(withCondition.rule(resource: "access_plugin_data", verb: "update") == .undecided)
        let claims = JobRolePermissions(defined: [try Self.role(spec: """
              allow:
                review_requests:
                  claims_to_roles:
                    - {claim: team, value: '*', roles: ['db-reader-$1']}
            """)], undefined: [])
        #expect(claims.review("db-reader-payments") == .undecided)
        let unread = JobRolePermissions(defined: [try Self.role(Self.jobRole)], undefined: ["second"])
        #expect(unread.review("db-writer-payments") == .undecided, "the unread role may allow it")
        #expect(unread.review("editor") == .undecided, "the unread role may deny it")
        #expect(unread.rule(resource: "access_plugin_data", verb: "update") == .undecided, "the unread role may deny it")
        #expect(unread.review("db-reader-prod") == .failed, "a deny read is a deny whatever the other role says")
        #expect(unread.rule(resource: "user", verb: "read") == .undecided)
    }

    @Test("rules: the verb on the resource, `*` for either; a deny rule wins", arguments: [
        ("access_plugin_data", "update", CheckLine.Status.passed), ("access_request", "list", .passed),
        ("access_request", "update", .failed), ("user", "read", .failed),
    ])
    func rules(resource: String, verb: String, expected: CheckLine.Status) throws {
        let permissions = JobRolePermissions(defined: [try Self.role(Self.jobRole)], undefined: [])
        #expect(permissions.rule(resource: resource, verb: verb) == expected)
    }

    @Test("wildcards, and a deny rule beside an allow")
    func wildcards() throws {
        let role = try Self.role(spec: """
              allow:
                rules:
                  - resources: ['*']
                    verbs: ['*']
              deny:
                rules:
                  - resources: ['user']
                    verbs: ['read']
            """)
        let permissions = JobRolePermissions(defined: [role], undefined: [])
        #expect(permissions.rule(resource: "access_plugin_data", verb: "update") == .passed)
        #expect(permissions.rule(resource: "user", verb: "read") == .failed)
    }

    @Test("the checklist: a ✗ fails it and exits 1; ? alone does not; the text says ready or not")
    func report() throws {
        let passed = CheckLine(.teleport, "teleport.connection", .passed, "connected")
        let unknown = CheckLine(.alerting, "alerting.write-permissions", .undecided, "not checked", fix: "by hand")
        let ready = CheckReport(lines: [passed, unknown], alertService: "Opsgenie")
        #expect(ready.exitStatus == .success)
        #expect(ready.text().contains("  ? not checked\n      how to check: by hand\n"))
        #expect(ready.text().hasSuffix("Ready: nothing failed (1 ✓, 0 ✗, 1 ?).\n"))
        let failing = CheckReport(lines: [passed, CheckLine(.job, "job.lock", .failed, "held", fix: "wait")], alertService: "Opsgenie")
        #expect(failing.exitStatus == .failure)
        #expect(failing.text().contains("The job\n  ✗ held\n      fix: wait\n"))
        let decoded = try JSONDecoder().decode(CheckReport.self, from: failing.jsonData())
        #expect(decoded == failing)
        let object = try #require(try JSONSerialization.jsonObject(with: failing.jsonData()) as? [String: Any])
        #expect(object["ready"] as? Bool == false)
    }
}
