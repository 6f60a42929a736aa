import AccessReconciler
import Foundation
import GRPCCore
import NIOCore
import GRPCNIOTransportHTTP2Posix
import GRPCProtobuf
import HTTPSupport
import Logging

/// The Teleport side over the Auth Service's gRPC API, authenticated by an identity file with
/// mutual TLS, as Teleport's own access plugins connect. Listings are all-or-nothing; every call
/// has a deadline; UNAVAILABLE is retried with back-off.
public final class TeleportAccessRequests: AccessRequestPort, Sendable {
    /// The oldest Teleport major version the job is built for.
    public static let minimumServerMajorVersion = 13

    public let configuration: TeleportClientConfiguration
    public let identity: IdentityFile
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    let service: Proto_AuthService.Client<HTTP2ClientTransport.Posix>
    private let users: Teleport_Users_V1_UsersService.Client<HTTP2ClientTransport.Posix>
    private let connections: Task<Void, Never>
    private let pingCache = OnceCache<String, Proto_PingResponse>()
    private let logger: Logger

    /// Reads and checks the identity (an expired one is refused here, before any call), then
    /// prepares the connection; it is opened by the first call.
    public init(configuration: TeleportClientConfiguration, now: Date = Date(),
                logger: Logger = Logger(label: "access-reconciler.teleport")) throws {
        self.configuration = configuration
        self.logger = logger
        let identity = try IdentityFile.load(path: configuration.identityFile)
        try identity.checkValidity(at: now, source: configuration.identityFile)
        self.identity = identity
        let (host, port) = try configuration.hostAndPort()
        let proxyCluster = try configuration.usesProxy() ? (configuration.clusterName ?? identity.issuingCluster) : nil
        if proxyCluster == "" {
            throw TeleportError.badAddress("\(configuration.address) (a Proxy needs the cluster name: set it, as the identity does not say)")
        }
        let tls = try TeleportTLS.context(identity: identity, proxyCluster: proxyCluster)
        var transportConfig = HTTP2ClientTransport.Posix.Config.defaults
        transportConfig.connection.keepalive = .init(time: configuration.keepaliveInterval, timeout: configuration.keepaliveTimeout,
                                                     allowWithoutCalls: true)
        transportConfig.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
        let handshakeTimeout = TimeAmount.nanoseconds(Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                                                      + configuration.connectTimeout.components.attoseconds / 1_000_000_000)
        transportConfig.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
            TeleportTLS.install(on: channel, context: tls, handshakeTimeout: handshakeTimeout)
        }
        let transport = try HTTP2ClientTransport.Posix(target: .dns(host: host, port: port), transportSecurity: .customSecure,
                                                       config: transportConfig)
        let client = GRPCClient(transport: transport)
        self.client = client
        self.service = Proto_AuthService.Client(wrapping: client)
        self.users = Teleport_Users_V1_UsersService.Client(wrapping: client)
        self.connections = Task { try? await client.runConnections() }
    }

    /// Closes the connection once calls in flight finish, or after `grace`: a connection that
    /// never came up (a name that does not resolve, a silent peer) would otherwise keep the
    /// shutdown waiting for ever.
    public func close(grace: Duration = .seconds(5)) async {
        client.beginGracefulShutdown()
        let connections = self.connections
        let deadline = Task {
            try await Task.sleep(for: grace)
            connections.cancel()
        }
        _ = await connections.value
        deadline.cancel()
    }

    deinit {
        client.beginGracefulShutdown()
    }

    /// The job's Teleport user, as its certificate names it.
    public var reviewer: String { identity.user }

    // MARK: AccessRequestPort

    public func clusterName() async throws -> String {
        try await ping().clusterName
    }

    /// Ping, once per client: cluster name and server version, checked against the minimum.
    public func ping() async throws -> Proto_PingResponse {
        try await pingCache.value(for: "ping") { [self] in
            let response = try await call("ping") { options in try await service.ping(Proto_PingRequest(), options: options) }
            if let major = Int(response.serverVersion.split(separator: ".").first ?? ""), major < Self.minimumServerMajorVersion {
                throw TeleportError.unsupportedServer(version: response.serverVersion, minimum: "\(Self.minimumServerMajorVersion).0.0")
            }
            return response
        }
    }

    public func listAccessRequests() async throws -> [AccessRequest] {
        do {
            return try await listPages(filter: nil)
        } catch let error as RPCError where error.code == .unimplemented {
            logger.notice("ListAccessRequests is not implemented by this Auth Service; using GetAccessRequestsV2")
            return try await streamAll()
        }
    }

    public func accessRequest(id: String) async throws -> AccessRequest? {
        var filter = Types_AccessRequestFilter()
        filter.id = id
        do {
            return try await listPages(filter: filter).first { $0.id == id }
        } catch let error as RPCError where error.code == .unimplemented {
            return try await streamAll(filter: filter).first { $0.id == id }
        }
    }

    /// `teleport.users.v1.UsersService/GetUser` without secrets: the job's role needs `read` on
    /// `user` for anyone but itself. NOT_FOUND is no such user; PERMISSION_DENIED and
    /// UNIMPLEMENTED (a server without the users service) are `UserUnreadable`.
    public func user(named name: String) async throws -> TeleportUser? {
        var request = Teleport_Users_V1_GetUserRequest()
        request.name = name
        do {
            let response = try await call("read user \(name)", mapErrors: false) { options in
                try await users.getUser(request, options: options)
            }
            return TeleportUser(name: response.user.metadata.name, traits: ProtoMapping.traits(response.user.spec.traits))
        } catch let error as RPCError where error.code == .notFound {
            return nil
        } catch let error as RPCError where error.code == .permissionDenied || error.code == .unimplemented {
            throw UserUnreadable(user: name, reason: "\(TeleportError.name(error.code)): \(error.message)")
        } catch {
            throw TeleportError.from(error, operation: "read user \(name)", address: configuration.address)
        }
    }

    public func listPluginData(plugin: String) async throws -> [String: RequestPluginData] {
        var filter = Types_PluginDataFilter()
        filter.kind = "access_request"
        filter.plugin = plugin
        let sequence = try await call("read plugin data") { options in try await service.getPluginData(filter, options: options) }
        return Self.pluginData(sequence)
    }

    public func pluginData(requestID: String) async throws -> RequestPluginData? {
        var filter = Types_PluginDataFilter()
        filter.kind = "access_request"
        filter.resource = requestID
        let sequence = try await call("read plugin data of \(requestID)") { options in try await service.getPluginData(filter, options: options) }
        return Self.pluginData(sequence)[requestID]
    }

    public func updatePluginData(requestID: String, plugin: String, set: [String: String], expect: [String: String]) async throws {
        var params = Types_PluginDataUpdateParams()
        params.kind = "access_request"
        params.resource = requestID
        params.plugin = plugin
        params.set = set
        params.expect = expect
        do {
            _ = try await call("update plugin data of \(requestID)", mapErrors: false) { options in
                try await service.updatePluginData(params, options: options)
            }
        } catch let error as RPCError {
            switch error.code {
            case .failedPrecondition, .aborted: throw PluginDataConflict(requestID: requestID, key: expect.keys.sorted().joined(separator: ","))
            case .notFound: throw PluginDataNotFound(requestID: requestID)
            default: throw TeleportError.from(error, operation: "update plugin data of \(requestID)", address: configuration.address)
            }
        }
    }

    public func submitReview(requestID: String, proposedState: RequestState, reason: String) async throws -> RequestState {
        var submission = Types_AccessReviewSubmission()
        submission.requestID = requestID
        submission.review.author = identity.user
        submission.review.proposedState = ProtoMapping.state(proposedState)
        submission.review.reason = reason
        do {
            let updated = try await call("review request \(requestID)", mapErrors: false) { options in
                try await service.submitAccessReview(submission, options: options)
            }
            return ProtoMapping.state(updated.spec.state)
        } catch let error as RPCError where Self.isAlreadyDecided(error) {
            // Reviewed before (by this job, in a run whose answer was lost) or resolved meanwhile.
            logger.info("review not needed", metadata: ["request": "\(requestID)", "reason": "\(error.message)"])
            guard let current = try await accessRequest(id: requestID) else { return .none }
            return current.state
        } catch let error as RPCError where error.code == .permissionDenied {
            throw ReviewRefused(requestID: requestID, reason: "\(TeleportError.name(error.code)): \(error.message)")
        } catch {
            throw TeleportError.from(error, operation: "review request \(requestID)", address: configuration.address)
        }
    }

    // MARK: Helpers

    private func listPages(filter: Types_AccessRequestFilter?) async throws -> [AccessRequest] {
        var result: [AccessRequest] = []
        var startKey = ""
        var seenKeys = Set<String>()
        repeat {
            var request = Proto_ListAccessRequestsRequest()
            if let filter { request.filter = filter }
            request.limit = Int32(configuration.pageSize)
            request.startKey = startKey
            let page = try await call("list access requests", mapErrors: false) { options in
                try await service.listAccessRequests(request, options: options)
            }
            result += page.accessRequests.map(ProtoMapping.request)
            startKey = page.nextKey
            if !startKey.isEmpty && !seenKeys.insert(startKey).inserted {
                throw TeleportError.incompleteListing("the server returned the page key \(startKey) twice")
            }
        } while !startKey.isEmpty
        return result
    }

    private func streamAll(filter: Types_AccessRequestFilter = Types_AccessRequestFilter()) async throws -> [AccessRequest] {
        do {
            return try await call("list access requests (stream)", mapErrors: false) { options in
                try await service.getAccessRequestsV2(filter, options: options) { response in
                    var requests: [AccessRequest] = []
                    for try await message in response.messages { requests.append(ProtoMapping.request(message)) }
                    return requests
                }
            }
        } catch let error as RPCError where error.code != .unavailable {
            throw TeleportError.incompleteListing("the stream ended with \(error.code): \(error.message)")
        }
    }

    /// Runs a call with a deadline, retrying UNAVAILABLE with capped, jittered back-off. With
    /// `mapErrors`, errors become `TeleportError`; otherwise `RPCError`s pass through for the caller.
    func call<T: Sendable>(_ operation: String, mapErrors: Bool = true,
                                   _ body: (CallOptions) async throws -> T) async throws -> T {
        var options = CallOptions.defaults
        options.timeout = configuration.callTimeout
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body(options)
            } catch where Task.isCancelled {
                // The run's deadline: no retry, and no error of Teleport's to report.
                throw CancellationError()
            } catch let error as RPCError where error.code == .unavailable && attempt < configuration.retry.maxAttempts
                && TeleportError.tlsReason(in: error) == nil {
                let wait = configuration.retry.delay(after: attempt)
                logger.notice("Teleport unavailable; retrying", metadata: ["operation": "\(operation)", "attempt": "\(attempt)", "error": "\(error.message)"])
                try await Task.sleep(for: wait)
            } catch {
                if mapErrors || TeleportError.tlsReason(in: error) != nil || (error as? RPCError)?.code == .unavailable {
                    throw TeleportError.from(error, operation: operation, address: configuration.address)
                }
                throw error
            }
        }
    }

    static func pluginData(_ sequence: Proto_PluginDataSeq) -> [String: RequestPluginData] {
        var result: [String: RequestPluginData] = [:]
        for item in sequence.pluginData {
            result[item.metadata.name] = RequestPluginData(entries: item.spec.entries.mapValues(\.data))
        }
        return result
    }

    /// Teleport's answers that mean "nothing left to review": a second review by the same author
    /// (PERMISSION_DENIED, "has already reviewed this request", `lib/services/access_request.go`)
    /// and, on newer servers, a review of a request that is no longer pending ("already
    /// approved/denied/promoted", the same file).
    static func isAlreadyDecided(_ error: RPCError) -> Bool {
        guard error.code == .permissionDenied || error.code == .alreadyExists || error.code == .failedPrecondition else { return false }
        let message = error.message.lowercased()
        return message.contains("has already reviewed this request") || message.contains("already approved")
            || message.contains("already denied") || message.contains("already promoted")
    }
}
