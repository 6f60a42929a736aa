import AccessReconciler
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import TeleportClient

/// A fake Teleport Auth Service over real gRPC with mutual TLS on loopback: a cluster CA made at
/// run time, a server certificate for `teleport.cluster.local`, client certificates checked against
/// the CA, and identity files in Teleport's layout for the clients under test.
public final class FakeTeleport: Sendable {
    public let state: FakeAuthState
    public let authority: TestCertificateAuthority
    /// `127.0.0.1:<port>` of the Auth Service.
    public let address: String
    public let port: Int
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let serving: Task<Void, Never>
    private let directory: URL

    public static func start(cluster: String = "teleport.example.com", clock: @escaping @Sendable () -> Date = { Date() }) async throws -> FakeTeleport {
        let authority = try TestCertificateAuthority(cluster: cluster)
        let state = FakeAuthState(cluster: cluster, clock: clock)
        let serverCertificate = try authority.issueServerCertificate()
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0),
            transportSecurity: .mTLS(certificateChain: [.bytes(Array(serverCertificate.certificatePEM.utf8), format: .pem)],
                                     privateKey: .bytes(Array(serverCertificate.privateKeyPEM.utf8), format: .pem)) { tls in
                tls.trustRoots = .certificates([.bytes(Array(authority.certificatePEM.utf8), format: .pem)])
                tls.clientCertificateVerification = .noHostnameVerification
                tls.requireALPN = false
            })
        let server = GRPCServer(transport: transport, services: [FakeAuthService(state: state), FakeUsersService(state: state)])
        let serving = Task { do { try await server.serve() } catch {} }
        guard let address = try await transport.listeningAddress.ipv4 else {
            throw RPCError(code: .internalError, message: "the fake Auth Service did not bind")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-teleport-\(UUID().uuidString)")
        return FakeTeleport(state: state, authority: authority, port: address.port, server: server, serving: serving, directory: directory)
    }

    private init(state: FakeAuthState, authority: TestCertificateAuthority, port: Int, server: GRPCServer<HTTP2ServerTransport.Posix>,
                 serving: Task<Void, Never>, directory: URL) {
        self.state = state
        self.authority = authority
        self.port = port
        self.address = "127.0.0.1:\(port)"
        self.server = server
        self.serving = serving
        self.directory = directory
    }

    /// Writes an identity file for `user`, signed by this cluster's CA (or `issuer`'s, to test a
    /// refused certificate), trusting this cluster's CA (or `trusting`, to test an unknown server).
    public func identityFile(user: String, roles: [String]? = nil, validFor: TimeInterval = 3600, notBefore: Date = Date().addingTimeInterval(-60),
                             issuer: TestCertificateAuthority? = nil, trusting: [TestCertificateAuthority]? = nil) throws -> String {
        try (issuer ?? authority).writeIdentityFile(user: user, roles: roles, directory: directory, notBefore: notBefore,
                                                    notAfter: notBefore.addingTimeInterval(validFor + 60), trusting: trusting ?? [authority])
    }

    /// A client configuration for this fake, straight to the Auth Service.
    public func clientConfiguration(identityFile: String) -> TeleportClientConfiguration {
        var configuration = TeleportClientConfiguration(address: address, identityFile: identityFile)
        configuration.route = .auth
        configuration.callTimeout = .seconds(10)
        configuration.retry.baseDelay = .milliseconds(10)
        configuration.retry.maxDelay = .milliseconds(50)
        return configuration
    }

    public func stop() async {
        server.beginGracefulShutdown()
        _ = await serving.value
        try? FileManager.default.removeItem(at: directory)
    }
}

extension FakeTeleport {
    /// Runs `body` against a fresh fake Auth Service and stops it afterwards, also on failure.
    public static func with<Result>(cluster: String = "teleport.example.com",
                                    _ body: (FakeTeleport) async throws -> Result) async throws -> Result {
        try await withStopping(try await start(cluster: cluster), stop: { await $0.stop() }, body)
    }
}
