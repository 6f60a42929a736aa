import NIOCore
import NIOPosix

/// A TCP listener on loopback that accepts connections and never answers: what a hung server,
/// or a firewall that swallows packets after the handshake, looks like to a client.
public final class SilentPeer: Sendable {
    public let port: Int
    private let channel: any Channel

    public init() async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    /// `127.0.0.1:<port>`.
    public var address: String { "127.0.0.1:\(port)" }

    public func stop() async {
        try? await channel.close()
    }

    /// Runs `body` with a silent peer and stops it afterwards.
    public static func with<Result>(_ body: (SilentPeer) async throws -> Result) async throws -> Result {
        try await withStopping(try await SilentPeer(), stop: { await $0.stop() }, body)
    }
}
