import Foundation
import NIOCore
import NIOSSL
import NIOTLS

/// The TLS side of a connection to Teleport, from an identity file: the client certificate and key,
/// trust in the cluster's CAs only, server name `teleport.cluster.local`, and ALPN `h2` — preceded,
/// through a Proxy, by the routing entry `teleport-auth@<hex(cluster)>.teleport.cluster.local`.
public enum TeleportTLS {
    /// The name Teleport puts in its servers' certificates and expects as SNI.
    public static let serverName = "teleport.cluster.local"

    /// The ALPN entry that asks a Proxy to forward the connection to `cluster`'s Auth Service.
    public static func authRoutingProtocol(cluster: String) -> String {
        "teleport-auth@" + cluster.utf8.map { String(format: "%02x", $0) }.joined() + "." + serverName
    }

    /// The ALPN list to offer.
    public static func applicationProtocols(proxyCluster: String?) -> [String] {
        guard let proxyCluster else { return ["h2"] }
        return [authRoutingProtocol(cluster: proxyCluster), "h2"]
    }

    /// A client TLS context presenting the identity and trusting only its CAs.
    public static func context(identity: IdentityFile, proxyCluster: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        configuration.trustRoots = .certificates(try identity.certificateAuthoritiesPEM.flatMap {
            try NIOSSLCertificate.fromPEMBytes(Array($0.utf8))
        })
        configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8)).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem))
        configuration.applicationProtocols = applicationProtocols(proxyCluster: proxyCluster)
        return try NIOSSLContext(configuration: configuration)
    }

    /// Puts the TLS handler first in a new connection's pipeline, with a deadline for the handshake:
    /// a peer that accepts the connection and never answers is given up on after `handshakeTimeout`
    /// rather than waited for.
    static func install(on channel: any Channel, context: NIOSSLContext, handshakeTimeout: TimeAmount) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            try channel.pipeline.syncOperations.addHandler(HandshakeDeadline(timeout: handshakeTimeout), position: .after(handler))
        }
    }
}

/// Closes a connection whose TLS handshake has not completed in time, with an error that says so.
final class HandshakeDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    /// The error a connection fails with when its handshake times out.
    struct Timeout: Error, CustomStringConvertible {
        var seconds: Int64
        var description: String { "the TLS handshake did not complete within \(seconds) s (the peer accepted the connection but did not answer)" }
    }

    private let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let timeout = self.timeout
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        scheduled = context.eventLoop.scheduleTask(in: timeout) {
            let context = loopBound.value
            context.fireErrorCaught(Timeout(seconds: timeout.nanoseconds / 1_000_000_000))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            scheduled?.cancel()
            scheduled = nil
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
