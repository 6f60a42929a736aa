import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 and a port the system chooses, built on SwiftNIO, that hands
/// each request to an async handler. The fakes sit behind it so that clients are tested over real
/// sockets.
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequestRecord) async -> HTTPReply

    /// The port the server listens on.
    public let port: Int
    private let serverChannel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let acceptTask: Task<Void, Never>

    /// Starts listening; `handler` answers every request.
    public init(maxBodyBytes: Int = 4 << 20, handler: @escaping Handler) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        serverChannel = server
        port = server.channel.localAddress?.port ?? 0
        acceptTask = Task {
            try? await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await Self.serve(connection, maxBodyBytes: maxBodyBytes, handler: handler) }
                    }
                }
            }
        }
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Stops accepting and closes the listening socket.
    public func shutdown() async {
        try? await serverChannel.channel.close()
        acceptTask.cancel()
        _ = await acceptTask.value
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              maxBodyBytes: Int, handler: Handler) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case let .head(requestHead):
                    head = requestHead
                    body.clear()
                case var .body(chunk):
                    guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else { return }
                    body.writeBuffer(&chunk)
                case .end:
                    guard let requestHead = head else { return }
                    let record = Self.record(requestHead, body: body)
                    switch await handler(record) {
                    case .dropConnection:
                        return
                    case let .response(status, headers, responseBody):
                        var responseHeaders = HTTPHeaders(headers.map { ($0.key, $0.value) })
                        responseHeaders.replaceOrAdd(name: "content-length", value: String(responseBody.count))
                        let keepAlive = requestHead.isKeepAlive
                        if !keepAlive { responseHeaders.replaceOrAdd(name: "connection", value: "close") }
                        try await outbound.write(.head(HTTPResponseHead(version: requestHead.version, status: .init(statusCode: status), headers: responseHeaders)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: responseBody))))
                        try await outbound.write(.end(nil))
                        if !keepAlive { return }
                    }
                    head = nil
                }
            }
        }
    }

    private static func record(_ head: HTTPRequestHead, body: ByteBuffer) -> HTTPRequestRecord {
        let components = URLComponents(string: head.uri)
        let query = (components?.queryItems ?? []).map { (name: $0.name, value: $0.value ?? "") }
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        return HTTPRequestRecord(method: head.method.rawValue, path: components?.percentEncodedPath ?? head.uri,
                                 query: query, headers: headers, body: Data(body.readableBytesView))
    }
}
