import AccessReconciler
import Foundation
import GRPCCore
import ReconcilerTesting
import SwiftProtobuf
@testable import TeleportClient
import Testing

@Suite("Teleport client against the fake Auth Service over mutual TLS")
struct TeleportClientTests {
    static let now = Date()

    static func request(_ id: String, user: String = "alice@example.com", state: RequestState = .pending, expiresIn: TimeInterval = 86_400) -> AccessRequest {
        AccessRequest(id: id, user: user, roles: ["editor"], state: state, created: now.addingTimeInterval(-600),
                      accessExpires: now.addingTimeInterval(8 * 3600), resourceExpires: now.addingTimeInterval(expiresIn),
                      requestReason: "deploy", systemAnnotations: ["teleport.dev/schedules": ["platform"]])
    }

    /// A fake and a client for it; the client is closed and the fake stopped afterwards.
    func withClient(user: String = "access-reconciler", pageSize: Int = 1000,
                    _ body: (FakeTeleport, TeleportAccessRequests) async throws -> Void) async throws {
        try await FakeTeleport.with { fake async throws in
            var configuration = fake.clientConfiguration(identityFile: try fake.identityFile(user: user))
            configuration.pageSize = pageSize
            let client = try TeleportAccessRequests(configuration: configuration)
            try await withStopping(client, stop: { await $0.close() }) { try await body(fake, $0) }
        }
    }

    @Test("Ping: the cluster name, and the caller is the identity's user")
    func ping() async throws {
        try await withClient { fake, client async throws in
            #expect(try await client.clusterName() == "teleport.example.com")
            #expect(try await client.clusterName() == "teleport.example.com")
            #expect(await fake.state.callCount("Ping") == 1, "Ping is asked once per client")
            #expect(await fake.state.calls.first?.caller == "access-reconciler")
            #expect(client.reviewer == "access-reconciler")
        }
    }

    @Test("a server older than the supported versions is refused with a clear message")
    func oldServer() async throws {
        try await withClient { fake, client async throws in
            await fake.state.setServerVersion("12.4.1")
            let error = await #expect(throws: TeleportError.self) { try await client.clusterName() }
            #expect(error?.description.contains("Teleport 12.4.1 is older than 13.0.0") == true)
        }
    }

    @Test("listing pages through every request; requests past their expiry are not listed")
    func paging() async throws {
        try await withClient(pageSize: 100) { fake, client async throws in
            await fake.state.seed((0..<250).map { Self.request(String(format: "r%04d", $0)) } + [Self.request("expired", expiresIn: -60)])
            let requests = try await client.listAccessRequests()
            #expect(requests.count == 250)
            #expect(requests.map(\.id) == (0..<250).map { String(format: "r%04d", $0) })
            #expect(await fake.state.callCount("ListAccessRequests") == 3)
            let first = try #require(requests.first)
            #expect(first.user == "alice@example.com" && first.roles == ["editor"] && first.state == .pending)
            #expect(first.systemAnnotations == ["teleport.dev/schedules": ["platform"]])
            #expect(abs((first.accessExpires ?? .distantPast).timeIntervalSince(Self.now.addingTimeInterval(8 * 3600))) < 1)
        }
    }

    @Test("a server without ListAccessRequests is read through the GetAccessRequestsV2 stream")
    func streamFallback() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed((0..<30).map { Self.request("r\($0)") })
            await fake.state.setListUnimplemented(true)
            #expect(try await client.listAccessRequests().count == 30)
            #expect(await fake.state.callCount("GetAccessRequestsV2") == 1)
        }
    }

    @Test("a stream cut halfway fails the listing instead of returning part of it")
    func streamCut() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed((0..<30).map { Self.request("r\($0)") })
            await fake.state.setListUnimplemented(true)
            await fake.state.setCutStreamAfter(10)
            let error = await #expect(throws: TeleportError.self) { try await client.listAccessRequests() }
            #expect(error?.description.contains("the access-request listing is incomplete") == true)
        }
    }

    @Test("one request read afresh, or nil when Teleport no longer has it")
    func readOne() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed([Self.request("r1"), Self.request("r2")])
            #expect(try await client.accessRequest(id: "r2")?.id == "r2")
            #expect(try await client.accessRequest(id: "gone") == nil)
        }
    }

    @Test("a review by the job approves, authored by the identity's user; a second one is not an error")
    func review() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed([Self.request("r1")])
            #expect(try await client.submitReview(requestID: "r1", proposedState: .approved, reason: "on call") == .approved)
            let stored = try #require(await fake.state.request("r1"))
            #expect(stored.reviews.map(\.author) == ["access-reconciler"])
            #expect(stored.resolveReason == "on call")
            #expect(try await client.submitReview(requestID: "r1", proposedState: .approved, reason: "again") == .approved)
            #expect(await fake.state.request("r1")?.reviews.count == 1)
        }
    }

    @Test("user names that a distinguished name escapes are read raw, and Teleport accepts the job's review",
          arguments: ["alice+ops@example.com", "ops, team@example.com", "say \"hi\"@example.com", " leading@example.com", "a=b;c<d>#@example.com"])
    func rawUserNames(_ user: String) async throws {
        try await withClient(user: user) { fake, client async throws in
            let identity = try IdentityFile.load(path: client.configuration.identityFile)
            #expect(identity.user == user, "the raw common name, not its escaped form")
            await fake.state.seed([Self.request("r1")])
            #expect(try await client.submitReview(requestID: "r1", proposedState: .approved, reason: "on call") == .approved)
            #expect(await fake.state.request("r1")?.reviews.map(\.author) == [user])
            #expect(await fake.state.calls.last?.caller == user, "the fake names the caller by the raw value too")
        }
    }

    @Test("thresholds decide: with two approvals needed, one review leaves the request pending")
    func thresholds() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed([Self.request("r1")], thresholds: [(2, 1)])
            #expect(try await client.submitReview(requestID: "r1", proposedState: .approved, reason: "ok") == .pending)
        }
    }

    @Test("nobody reviews their own request; a refusal for want of permission is the port's ReviewRefused, naming Teleport's reason")
    func ownRequest() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed([Self.request("r1", user: "access-reconciler")])
            let error = await #expect(throws: ReviewRefused.self) { try await client.submitReview(requestID: "r1", proposedState: .approved, reason: "") }
            #expect(error?.description.contains("PERMISSION_DENIED") == true && error?.description.contains("cannot review their own request") == true)
        }
    }

    @Test("a user is read with its traits from the users service; no such user is nil; no right to read users, or no users service, is UserUnreadable")
    func readUser() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seedUsers(["bob": ["email": ["bob.b@example.com"], "logins": ["bob"]], "access-reconciler": [:]])
            let bob = try await client.user(named: "bob")
            #expect(bob == TeleportUser(name: "bob", traits: ["email": ["bob.b@example.com"], "logins": ["bob"]]))
            #expect(await fake.state.calls.last?.method == "GetUser")
            #expect(try await client.user(named: "nobody") == nil)

            await fake.state.setUserReaders([])
            let refused = await #expect(throws: UserUnreadable.self) { try await client.user(named: "bob") }
            #expect(refused?.reason.hasPrefix("PERMISSION_DENIED") == true, "\(String(describing: refused))")
            #expect(try await client.user(named: "access-reconciler")?.name == "access-reconciler", "a user may always read itself")

            await fake.state.setUsersServiceUnimplemented(true)
            let old = await #expect(throws: UserUnreadable.self) { try await client.user(named: "bob") }
            #expect(old?.reason.hasPrefix("UNIMPLEMENTED") == true, "\(String(describing: old))")
        }
    }

    @Test("reading a user: UNAVAILABLE is retried, and a cluster that stays down is an error, not UserUnreadable")
    func readUserUnavailable() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seedUsers(["bob": ["email": ["bob.b@example.com"]]])
            await fake.state.failNext(1)
            #expect(try await client.user(named: "bob")?.traits["email"] == ["bob.b@example.com"])
            await fake.state.setDown(true)
            await #expect(throws: TeleportError.self) { try await client.user(named: "bob") }
        }
    }

    @Test("the in-memory port and the gRPC client over the fake give the same answers to the same reviews")
    func reviewRulesShared() async throws {
        // Two approvals needed: a first review leaves the request pending, a second one by the
        // same author adds nothing, the requester's own review is refused, a decided one is done.
        func sequence(_ port: any AccessRequestPort) async -> [String] {
            var answers: [String] = []
            for (id, reason) in [("r1", "first"), ("r1", "again"), ("own", "mine"), ("done", "late")] {
                do {
                    answers.append("\(id): \(try await port.submitReview(requestID: id, proposedState: .approved, reason: reason))")
                } catch {
                    answers.append("\(id): refused")
                }
            }
            for id in ["r1", "own", "done"] {
                answers.append("\(id) reviews: \((try? await port.accessRequest(id: id))?.reviews.count ?? -1)")
            }
            return answers
        }
        let requests = [Self.request("r1"), Self.request("own", user: "access-reconciler"), Self.request("done", state: .denied)]
        let memory = InMemoryAccessRequests(cluster: "teleport.example.com", requests: requests, approvalsNeeded: 2)
        let expected = ["r1: PENDING", "r1: PENDING", "own: refused", "done: DENIED", "r1 reviews: 1", "own reviews: 0", "done reviews: 0"]
        #expect(await sequence(memory) == expected)
        try await withClient { fake, client async throws in
            await fake.state.seed(requests, thresholds: [(2, 1)])
            #expect(await sequence(client) == expected)
        }
    }

    @Test("plugin data: read by plugin and by request, compare-and-swap, an empty value deletes")
    func pluginData() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed([Self.request("r1"), Self.request("r2")])
            await fake.state.seedPluginData(["r1": RequestPluginData(entries: ["opsgenie": ["alert_id": "a1"], "slack": ["x": "1"]])])
            #expect(try await client.listPluginData(plugin: "opsgenie").keys.sorted() == ["r1"])
            #expect(try await client.pluginData(requestID: "r1")?.entries == ["opsgenie": ["alert_id": "a1"], "slack": ["x": "1"]])
            #expect(try await client.pluginData(requestID: "r2") == nil)

            try await client.updatePluginData(requestID: "r2", plugin: "opsgenie", set: ["alert_id": "a2"], expect: ["alert_id": ""])
            await #expect(throws: PluginDataConflict.self) {
                try await client.updatePluginData(requestID: "r2", plugin: "opsgenie", set: ["alert_id": "a3"], expect: ["alert_id": ""])
            }
            #expect(await fake.state.pluginData("r2")?["opsgenie"] == ["alert_id": "a2"])
            try await client.updatePluginData(requestID: "r2", plugin: "opsgenie", set: ["alert_id": ""], expect: [:])
            #expect(await fake.state.pluginData("r2") == nil, "the plugin's last key deleted removes its entry")
            await #expect(throws: PluginDataNotFound.self) {
                try await client.updatePluginData(requestID: "gone", plugin: "opsgenie", set: ["a": "b"], expect: [:])
            }
        }
    }

    @Test("a compare-and-swap conflict with another writer is retried on fresh data")
    func casRetry() async throws {
        try await withClient { fake, client async throws in
            await fake.state.seed([Self.request("r1")])
            await fake.state.seedPluginData(["r1": RequestPluginData(entries: ["opsgenie": ["reviews_count": "1"]])])
            await fake.state.writeConcurrently(requestID: "r1", plugin: "opsgenie", set: ["reviews_count": "2"])
            try await client.modifyPluginData(requestID: "r1", plugin: "opsgenie") { current in
                ["reviews_count": String((Int(current["reviews_count"] ?? "") ?? 0) + 1)]
            }
            #expect(await fake.state.pluginData("r1")?["opsgenie"]?["reviews_count"] == "3")
            #expect(await fake.state.callCount("UpdatePluginData") == 2)
        }
    }

    @Test("UNAVAILABLE is retried with back-off; a cluster that stays down is an error")
    func unavailable() async throws {
        try await withClient { fake, client async throws in
            await fake.state.failNext(2)
            #expect(try await client.listAccessRequests().isEmpty)
            #expect(await fake.state.callCount("ListAccessRequests") == 3)
            await fake.state.setDown(true)
            let error = await #expect(throws: TeleportError.self) { try await client.listPluginData(plugin: "opsgenie") }
            #expect(error?.description.contains("cannot be reached") == true)
            #expect(await fake.state.callCount("GetPluginData") == 4)
        }
    }

    @Test("an expired identity is refused before any call, saying when it expired")
    func expiredIdentity() async throws {
        try await FakeTeleport.with { fake async throws in
            let expired = try fake.identityFile(user: "access-reconciler", validFor: 60, notBefore: Date().addingTimeInterval(-7200))
            let error = #expect(throws: IdentityFileError.self) { try TeleportAccessRequests(configuration: fake.clientConfiguration(identityFile: expired)) }
            #expect(error?.description.contains("the Teleport identity expired at 20") == true)
            #expect(await fake.state.calls.isEmpty)
        }
    }

    @Test("a client certificate from another CA is refused, with a clear error")
    func foreignClientCertificate() async throws {
        try await FakeTeleport.with { fake async throws in
            let stranger = try TestCertificateAuthority(cluster: "teleport.example.com")
            let identity = try fake.identityFile(user: "access-reconciler", issuer: stranger, trusting: [fake.authority])
            let client = try TeleportAccessRequests(configuration: fake.clientConfiguration(identityFile: identity))
            let error = await #expect(throws: TeleportError.self) { try await client.clusterName() }
            #expect(error?.description.contains("TLS failed") == true, "\(String(describing: error))")
            #expect(await fake.state.calls.isEmpty)
            await client.close()
        }
    }

    @Test("a server whose CA is not in the identity file is not trusted")
    func unknownServerCA() async throws {
        try await FakeTeleport.with { fake async throws in
            let other = try TestCertificateAuthority(cluster: "other.example.com")
            let identity = try fake.identityFile(user: "access-reconciler", trusting: [other])
            let client = try TeleportAccessRequests(configuration: fake.clientConfiguration(identityFile: identity))
            let error = await #expect(throws: TeleportError.self) { try await client.clusterName() }
            #expect(error?.description.contains("unknown CA") == true, "\(String(describing: error))")
            await client.close()
        }
    }

    @Test("a wrong address: nothing listening there is an unreachable Teleport")
    func wrongAddress() async throws {
        try await FakeTeleport.with { fake async throws in
            var configuration = fake.clientConfiguration(identityFile: try fake.identityFile(user: "access-reconciler"))
            configuration.address = "127.0.0.1:9"
            configuration.retry.maxAttempts = 2
            let client = try TeleportAccessRequests(configuration: configuration)
            let error = await #expect(throws: TeleportError.self) { try await client.clusterName() }
            #expect(error?.description.hasPrefix("Teleport at 127.0.0.1:9 cannot be reached") == true, "\(String(describing: error))")
            await client.close()
        }
    }

    @Test("a name that does not resolve: an error naming the address, and closing the client does not hang")
    func unresolvableName() async throws {
        try await FakeTeleport.with { fake async throws in
            var configuration = fake.clientConfiguration(identityFile: try fake.identityFile(user: "access-reconciler"))
            configuration.address = "teleport.invalid:3025"
            configuration.retry.maxAttempts = 2
            let client = try TeleportAccessRequests(configuration: configuration)
            let error = await #expect(throws: TeleportError.self) { try await client.clusterName() }
            #expect(error?.description.hasPrefix("Teleport at teleport.invalid:3025 cannot be reached") == true, "\(String(describing: error))")
            // Before, the shutdown waited for ever for a connection that never came up.
            await client.close(grace: .milliseconds(200))
        }
    }

    @Test("a peer that accepts the connection and never answers: the TLS handshake times out, and the error says so")
    func silentPeer() async throws {
        try await FakeTeleport.with { fake async throws in
            try await SilentPeer.with { peer async throws in
                var configuration = fake.clientConfiguration(identityFile: try fake.identityFile(user: "access-reconciler"))
                configuration.address = peer.address
                configuration.route = .auth
                configuration.retry.maxAttempts = 2
                configuration.connectTimeout = .milliseconds(300)
                configuration.callTimeout = .seconds(20)
                let client = try TeleportAccessRequests(configuration: configuration)
                let started = ContinuousClock.now
                let error = await #expect(throws: TeleportError.self) { try await client.clusterName() }
                #expect(error?.description.contains("Teleport at \(peer.address)") == true, "\(String(describing: error))")
                #expect(ContinuousClock.now - started < .seconds(10), "the handshake deadline ends it, not the 20 s call deadline")
                await client.close(grace: .milliseconds(200))
            }
        }
    }

    @Test("through a Proxy with TLS routing: the first ALPN entry names the cluster, TLS ends at the Auth Service")
    func proxyRouting() async throws {
        try await FakeTeleport.with { fake async throws in
            let proxy = try await FakeTeleportProxy(cluster: "teleport.example.com", authPort: fake.port)
            try await withStopping(proxy, stop: { await $0.shutdown() }) { proxy in
                var configuration = fake.clientConfiguration(identityFile: try fake.identityFile(user: "access-reconciler"))
                configuration.address = proxy.address
                configuration.route = .automatic
                // Two TLS hops through the fake Proxy on a loaded 2-core machine: a full CI run saw
                // the 10 s deadline pass before the first answer.
                configuration.callTimeout = .seconds(30)
                configuration.connectTimeout = .seconds(20)
                try await withStopping(try TeleportAccessRequests(configuration: configuration), stop: { await $0.close() }) { client async throws in
                    #expect(try await client.clusterName() == "teleport.example.com")
                    #expect(await proxy.offeredProtocols().first == ["teleport-auth@74656c65706f72742e6578616d706c652e636f6d.teleport.cluster.local", "h2"])
                    #expect(await fake.state.calls.first?.caller == "access-reconciler", "the Auth Service saw the client certificate")
                }
                configuration.clusterName = "another.example.com"
                configuration.retry.maxAttempts = 1
                try await withStopping(try TeleportAccessRequests(configuration: configuration), stop: { await $0.close() }) { misrouted async throws in
                    await #expect(throws: TeleportError.self) { try await misrouted.clusterName() }
                }
            }
        }
    }

    @Test("fields newer servers add are skipped")
    func unknownFields() throws {
        let message = ProtoMapping.message(Self.request("r1"))
        // The spec as a newer server sends it: with dry_run_enrichment (23) and request_kind (24).
        var spec: [UInt8] = try message.spec.serializedBytes()
        spec += [0xBA, 0x01, 0x03, 0x0A, 0x01, 0x78]  // field 23, length-delimited, 3 bytes
        spec += [0xC0, 0x01, 0x02]                    // field 24, varint 2
        var withoutSpec = message
        withoutSpec.clearSpec()
        var bytes: [UInt8] = try withoutSpec.serializedBytes()
        bytes += [0x2A] + Self.varint(spec.count) + spec  // field 5, the spec
        bytes += [0xF8, 0x06, 0x01]                       // an unknown top-level field 111
        let decoded = try Types_AccessRequestV3(serializedBytes: bytes)
        #expect(ProtoMapping.request(decoded) == ProtoMapping.request(message))
    }

    static func varint(_ value: Int) -> [UInt8] {
        var value = UInt64(value)
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }
}
