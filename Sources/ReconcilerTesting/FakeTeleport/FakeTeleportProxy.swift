import Foundation
import NIOCore
import NIOPosix

/// A fake Teleport Proxy doing TLS routing as Teleport's does for the Auth Service: it reads the
/// first ALPN entry of the client's TLS ClientHello, which must be
/// `teleport-auth@<hex(cluster)>.teleport.cluster.local` naming its cluster, and then copies bytes
/// both ways to the Auth Service without terminating TLS. Anything else is refused by closing.
public final class FakeTeleportProxy: Sendable {
    public let port: Int
    public var address: String { "127.0.0.1:\(port)" }
    private let recorder: ALPNRecorder
    private let serverChannel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let acceptTask: Task<Void, Never>

    /// The ALPN lists clients offered, in order.
    public func offeredProtocols() async -> [[String]] { await recorder.lists }

    public init(cluster: String, authPort: Int) async throws {
        let recorder = ALPNRecorder()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        self.recorder = recorder
        self.serverChannel = server
        self.port = server.channel.localAddress?.port ?? 0
        acceptTask = Task {
            try? await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await Self.route(connection, cluster: cluster, authPort: authPort, recorder: recorder) }
                    }
                }
            }
        }
    }

    public func shutdown() async {
        try? await serverChannel.channel.close()
        acceptTask.cancel()
        _ = await acceptTask.value
    }

    private static func route(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, cluster: String, authPort: Int, recorder: ALPNRecorder) async {
        try? await connection.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            var hello = ByteBuffer()
            // Read until the first TLS record (the ClientHello) is complete.
            while true {
                guard var chunk = try await iterator.next() else { return }
                hello.writeBuffer(&chunk)
                if let length = hello.getInteger(at: hello.readerIndex + 3, as: UInt16.self), hello.readableBytes >= 5 + Int(length) { break }
                if hello.readableBytes > 1 << 16 { return }
            }
            let protocols = ClientHelloParser.alpn(in: hello) ?? []
            await recorder.record(protocols)
            guard let first = protocols.first, first == routingProtocol(cluster) else { return }
            let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: authPort) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            try await upstream.executeThenClose { upstreamInbound, upstreamOutbound in
                try await upstreamOutbound.write(hello)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await chunk in upstreamInbound { try await outbound.write(chunk) }
                    }
                    while let chunk = try await iterator.next() { try await upstreamOutbound.write(chunk) }
                    group.cancelAll()
                }
            }
        }
    }

    private static func routingProtocol(_ cluster: String) -> String {
        "teleport-auth@" + cluster.utf8.map { String(format: "%02x", $0) }.joined() + ".teleport.cluster.local"
    }
}

/// Collects the ALPN lists the proxy saw.
actor ALPNRecorder {
    private(set) var lists: [[String]] = []
    func record(_ list: [String]) { lists.append(list) }
}

/// Reads the ALPN extension of a TLS ClientHello record.
enum ClientHelloParser {
    static func alpn(in buffer: ByteBuffer) -> [String]? {
        var record = buffer
        guard record.readInteger(as: UInt8.self) == 22, record.readInteger(as: UInt16.self) != nil,
              let recordLength = record.readInteger(as: UInt16.self), var body = record.readSlice(length: Int(recordLength)),
              body.readInteger(as: UInt8.self) == 1, let _ = body.readBytes(length: 3),
              body.readInteger(as: UInt16.self) != nil, body.readBytes(length: 32) != nil,
              let sessionLength = body.readInteger(as: UInt8.self), body.readBytes(length: Int(sessionLength)) != nil,
              let suitesLength = body.readInteger(as: UInt16.self), body.readBytes(length: Int(suitesLength)) != nil,
              let compressionLength = body.readInteger(as: UInt8.self), body.readBytes(length: Int(compressionLength)) != nil,
              let extensionsLength = body.readInteger(as: UInt16.self), var extensions = body.readSlice(length: Int(extensionsLength))
        else { return nil }
        while extensions.readableBytes >= 4 {
            guard let type = extensions.readInteger(as: UInt16.self), let length = extensions.readInteger(as: UInt16.self),
                  var data = extensions.readSlice(length: Int(length)) else { return nil }
            guard type == 16 else { continue }
            guard let listLength = data.readInteger(as: UInt16.self), var list = data.readSlice(length: Int(listLength)) else { return nil }
            var protocols: [String] = []
            while let nameLength = list.readInteger(as: UInt8.self), let name = list.readString(length: Int(nameLength)) {
                protocols.append(name)
            }
            return protocols
        }
        return []
    }
}
