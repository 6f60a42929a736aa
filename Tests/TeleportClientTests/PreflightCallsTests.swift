import AccessReconciler
import Foundation
import ReconcilerTesting
@testable import TeleportClient
import Testing

/// The read-only calls of `check` against the fake Auth Service: the identity's roles from its
/// certificate, `GetRole` under Teleport's rule, and the probes classified by status.
@Suite("Teleport client: check's read-only calls")
struct PreflightCallsTests {
    static let jobRole = Role(name: "job", allowReview: ReviewConditions(roles: [try! RoleMatcher("editor"), try! RoleMatcher("db-*")]),
                              allowRules: [ResourceRule(resources: ["access_plugin_data"], verbs: ["update"])],
                              denyRules: [ResourceRule(resources: ["user"], verbs: ["*"], condition: "true")])

    func withClient(roles: [String], _ body: (FakeTeleport, TeleportAccessRequests) async throws -> Void) async throws {
        try await FakeTeleport.with { fake async throws in
            let identity = try fake.identityFile(user: "access-reconciler", roles: roles)
            let client = try TeleportAccessRequests(configuration: fake.clientConfiguration(identityFile: identity))
            try await withStopping(client, stop: { await $0.close() }) { try await body(fake, $0) }
        }
    }

    @Test("the identity's roles are the certificate subject's organizations, as Teleport writes them")
    func certificateRoles() async throws {
        try await withClient(roles: ["job", "auditor"]) { _, client in
            #expect(client.identitySummary.roles == ["job", "auditor"])
            #expect(client.identitySummary.user == "access-reconciler")
        }
    }

    @Test("GetRole: a held role comes back with its rules and review conditions; one not held is refused; one the cluster lacks is nil")
    func roles() async throws {
        try await withClient(roles: ["job", "gone"]) { fake, client in
            await fake.state.seedRoles([Self.jobRole, Role(name: "other")])
            let role = try #require(try await client.role(named: "job"))
            #expect(role.allowReview?.roles.map(\.source) == ["editor", "db-*"])
            #expect(role.allowRules == Self.jobRole.allowRules)
            #expect(role.denyRules == Self.jobRole.denyRules)
            #expect(role.denyReview == nil)
            #expect(try await client.role(named: "gone") == nil)
            let error = await #expect(throws: TeleportError.self) { try await client.role(named: "other") }
            #expect(error?.description.contains("read role other") == true, "\(String(describing: error))")
            #expect(await fake.state.writeCalls().isEmpty)
        }
    }

    @Test("the probes: accepted, and PERMISSION_DENIED as refused with Teleport's message")
    func probes() async throws {
        try await withClient(roles: ["job"]) { fake, client in
            #expect(await client.probeRequestListing() == .accepted)
            #expect(await client.probePluginData(plugin: "opsgenie") == .accepted)
            await fake.state.deny("ListAccessRequests", resource: "access_request")
            guard case let .refused(reason) = await client.probeRequestListing() else {
                Issue.record("a denied listing is refused")
                return
            }
            #expect(reason.hasPrefix("PERMISSION_DENIED: access denied"))
            #expect(await fake.state.callCount("ListAccessRequests") == 2, "one call each: a refusal is not retried")
        }
    }

    @Test("a server without ListAccessRequests: the probe asks the stream a run falls back to, as runs do")
    func probeWithoutListing() async throws {
        try await withClient(roles: ["job"]) { fake, client in
            await fake.state.setListUnimplemented(true)
            #expect(await client.probeRequestListing() == .accepted)
            #expect(await fake.state.callCount("GetAccessRequestsV2") == 1)
            await fake.state.deny("GetAccessRequestsV2", resource: "access_request")
            guard case .refused = await client.probeRequestListing() else {
                Issue.record("a denied stream is refused")
                return
            }
        }
    }

    @Test("status codes are named as Teleport names them, in errors and in check's lines")
    func codeNames() {
        #expect(TeleportError.name(.permissionDenied) == "PERMISSION_DENIED")
        #expect(TeleportError.name(.deadlineExceeded) == "DEADLINE_EXCEEDED")
        #expect(TeleportError.name(.unavailable) == "UNAVAILABLE")
        #expect(TeleportError.call(operation: "read role x", code: .notFound, message: "gone").description == "Teleport: read role x failed: NOT_FOUND: gone")
        #expect(TeleportError.call(operation: "ping", code: nil, message: "boom").description == "Teleport: ping failed: error: boom")
    }
}
