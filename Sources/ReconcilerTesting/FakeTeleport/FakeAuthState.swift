import AccessReconciler
import Foundation
import GRPCCore
import SwiftProtobuf
import TeleportClient

/// The state of the fake Auth Service, with Teleport's rules for access requests, reviews and
/// plugin data; and switches that make it fail as a real cluster can.
public actor FakeAuthState {
    public let cluster: String
    public var serverVersion = "17.4.2"
    private(set) var requests: [String: Types_AccessRequestV3] = [:]
    /// The requests' names sorted, kept until a request is added or removed: a listing pages
    /// through 10,000 requests ten times, and sorting them for each page was 18% of the fake's CPU
    /// in a 10,000-request no-op.
    private var namesInOrder: [String]?
    private(set) var pluginData: [String: [String: [String: String]]] = [:]
    /// Every call: method name and the caller (the client certificate's user).
    public private(set) var calls: [(method: String, caller: String)] = []
    /// Added before every answer, to model a network between the job and the cluster.
    public private(set) var latency: Duration = .zero
    private var unavailableCalls = 0
    private var down = false
    /// Per user, the roles whose requests it may review (its roles' `review_requests.roles`);
    /// a user without an entry may review any.
    private var reviewableRoles: [String: Set<String>] = [:]
    private var listUnimplemented = false
    /// Teleport's users by name, with their traits.
    private var users: [String: Types_UserV2] = [:]
    /// Users whose roles give `read` on `user`; nil: every caller.
    private var userReaders: Set<String>?
    private var usersServiceUnimplemented = false
    private var roles: [String: Types_RoleV6] = [:]
    private var deniedMethods: [String: String] = [:]
    private var cutStreamAfter: Int?
    private var pendingConcurrentWrites: [(requestID: String, plugin: String, set: [String: String])] = []
    private let clock: @Sendable () -> Date

    public init(cluster: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.cluster = cluster
        self.clock = clock
    }

    // MARK: Seeding and switches

    /// Adds or replaces requests, with thresholds of one approval or one denial unless given.
    public func seed(_ requests: [AccessRequest], thresholds: [(approve: UInt32, deny: UInt32)] = [(1, 1)]) {
        for request in requests { self.requests[request.id] = ProtoMapping.message(request, thresholds: thresholds) }
        namesInOrder = nil
    }

    public func seedPluginData(_ data: [String: RequestPluginData]) {
        for (requestID, value) in data { pluginData[requestID] = value.entries }
    }

    /// Adds or replaces users (name → traits).
    public func seedUsers(_ users: [String: [String: [String]]]) {
        for (name, traits) in users {
            var user = Types_UserV2()
            user.kind = "user"
            user.version = "v2"
            user.metadata.name = name
            user.spec.traits = ProtoMapping.labelValues(traits)
            self.users[name] = user
        }
    }

    /// Which callers may read other users (nil: any), as `read` on `user` in their roles.
    public func setUserReaders(_ readers: Set<String>?) { userReaders = readers }
    /// Makes the users service UNIMPLEMENTED, as on a server that predates it.
    public func setUsersServiceUnimplemented(_ value: Bool) { usersServiceUnimplemented = value }

    /// The cluster's roles, as `GetRole` serves them.
    public func seedRoles(_ roles: [Role]) {
        for role in roles { self.roles[role.name] = ProtoMapping.message(role) }
    }

    /// Answers every call of `method` (`ListAccessRequests`, `GetPluginData`) with PERMISSION_DENIED
    /// naming `resource`, as Teleport does for a role without the verb; nil stops it.
    public func deny(_ method: String, resource: String?) { deniedMethods[method] = resource }

    /// Calls that wrote: plugin data, reviews, requests created or deleted.
    public func writeCalls() -> [String] {
        calls.map(\.method).filter { ["UpdatePluginData", "SubmitAccessReview", "CreateAccessRequestV2", "DeleteAccessRequest"].contains($0) }
    }

    public func request(_ id: String) -> AccessRequest? { requests[id].map(ProtoMapping.request) }
    public func allRequests() -> [AccessRequest] { requests.values.map(ProtoMapping.request).sorted { $0.id < $1.id } }
    public func pluginData(_ requestID: String) -> [String: [String: String]]? { pluginData[requestID] }
    /// Every request's plugin data.
    public func allPluginData() -> [String: RequestPluginData] { pluginData.mapValues { RequestPluginData(entries: $0) } }

    /// Deletes a request, as Teleport does at its expiry; its plugin data stays.
    public func delete(_ id: String) {
        requests[id] = nil
        namesInOrder = nil
    }

    /// Answers the next `count` calls with UNAVAILABLE.
    public func failNext(_ count: Int) { unavailableCalls = count }
    /// Answers every call with UNAVAILABLE until called with false.
    public func setDown(_ down: Bool) { self.down = down }
    /// Limits which requested roles `user` may review (nil: any), as its role's `review_requests`.
    public func setReviewableRoles(_ roles: Set<String>?, for user: String) { reviewableRoles[user] = roles }
    /// Makes ListAccessRequests UNIMPLEMENTED, as on servers that only stream.
    public func setListUnimplemented(_ value: Bool) { listUnimplemented = value }
    /// Breaks GetAccessRequestsV2 after `count` messages.
    public func setCutStreamAfter(_ count: Int?) { cutStreamAfter = count }
    /// Has another writer change plugin data just before the next UpdatePluginData is checked.
    public func writeConcurrently(requestID: String, plugin: String, set: [String: String]) {
        pendingConcurrentWrites.append((requestID, plugin, set))
    }

    public func setServerVersion(_ version: String) { serverVersion = version }
    public func setLatency(_ latency: Duration) { self.latency = latency }
    public func clearCalls() { calls.removeAll() }
    /// Calls per method.
    public func callCounts() -> [String: Int] { calls.reduce(into: [:]) { $0[$1.method, default: 0] += 1 } }

    public func callCount(_ method: String) -> Int { calls.filter { $0.method == method }.count }

    // MARK: Calls

    func enter(_ method: String, caller: String) async throws {
        calls.append((method, caller))
        if latency > .zero { try? await Task.sleep(for: latency) }
        if down { throw RPCError(code: .unavailable, message: "connection refused: auth server is down") }
        if unavailableCalls > 0 {
            unavailableCalls -= 1
            throw RPCError(code: .unavailable, message: "auth server is temporarily unavailable")
        }
        if let resource = deniedMethods[method] {
            throw RPCError(code: .permissionDenied, message: "access denied to perform action \"list\" on \"\(resource)\"")
        }
    }

    /// Teleport's rule (`lib/auth/auth_with_roles.go`): a user may always read a role it holds;
    /// another role needs `read` on `role`, which no caller of the fake has.
    func role(_ name: String, caller: String, held: [String]) throws -> Types_RoleV6 {
        guard held.contains(name) else {
            throw RPCError(code: .permissionDenied, message: "access denied to perform action \"read\" on \"role\"")
        }
        guard let role = roles[name] else { throw RPCError(code: .notFound, message: "role \(name) is not found") }
        return role
    }

    /// Teleport's rule (`lib/auth/users/usersv1/service.go`): without secrets, a user may read
    /// itself; another user needs `read` on `user`. Secrets are for the builtin Admin only.
    func getUser(name: String, currentUser: Bool, withSecrets: Bool, caller: String) throws -> Types_UserV2 {
        if usersServiceUnimplemented { throw RPCError(code: .unimplemented, message: "unknown service teleport.users.v1.UsersService") }
        if withSecrets { throw RPCError(code: .permissionDenied, message: "this request can be only executed by an admin") }
        let wanted = name.isEmpty && currentUser ? caller : name
        if wanted != caller, let userReaders, !userReaders.contains(caller) {
            throw RPCError(code: .permissionDenied, message: "access denied to perform action \"read\" on \"user\"")
        }
        guard let user = users[wanted] else { throw RPCError(code: .notFound, message: "user \"\(wanted)\" is not found") }
        return user
    }

    func ping() -> Proto_PingResponse {
        var response = Proto_PingResponse()
        response.clusterName = cluster
        response.serverVersion = serverVersion
        return response
    }

    /// Requests visible to a listing: the backend's, less those past their resource expiry (the
    /// cache skips them), ordered by ID (the default sort).
    private func visible(_ filter: Types_AccessRequestFilter?) -> [Types_AccessRequestV3] {
        let now = clock()
        let candidates: [Types_AccessRequestV3]
        if let filter, !filter.id.isEmpty {
            // The job re-reads one request before each approval: no need to walk all of them.
            candidates = requests[filter.id].map { [$0] } ?? []
        } else {
            let names = namesInOrder ?? requests.keys.sorted()
            namesInOrder = names
            candidates = names.compactMap { requests[$0] }
        }
        return candidates.filter { request in
            if let expires = ProtoMapping.date(request.metadata.hasExpires ? request.metadata.expires : nil), expires <= now { return false }
            guard let filter else { return true }
            if !filter.id.isEmpty && request.metadata.name != filter.id { return false }
            if !filter.user.isEmpty && request.spec.user != filter.user { return false }
            if filter.state != .none && request.spec.state != filter.state { return false }
            return true
        }
    }

    func list(_ request: Proto_ListAccessRequestsRequest) throws -> Proto_ListAccessRequestsResponse {
        if listUnimplemented { throw RPCError(code: .unimplemented, message: "unknown method ListAccessRequests for service proto.AuthService") }
        guard request.limit <= 16_000 else { throw RPCError(code: .invalidArgument, message: "limit exceeds the maximum of 16000") }
        guard request.sort != .user else { throw RPCError(code: .invalidArgument, message: "unsupported sort index") }
        let limit = request.limit == 0 ? 1000 : Int(request.limit)
        let all = visible(request.hasFilter ? request.filter : nil)
        let start = request.startKey.isEmpty ? 0 : (all.firstIndex { $0.metadata.name >= request.startKey } ?? all.count)
        var response = Proto_ListAccessRequestsResponse()
        response.accessRequests = Array(all[start..<min(all.count, start + limit)])
        if start + limit < all.count { response.nextKey = all[start + limit].metadata.name }
        return response
    }

    func stream(_ filter: Types_AccessRequestFilter) -> (messages: [Types_AccessRequestV3], cutAfter: Int?) {
        (visible(filter), cutStreamAfter)
    }

    func submitReview(_ submission: Types_AccessReviewSubmission, caller: String) throws -> Types_AccessRequestV3 {
        var review = submission.review
        if review.author.isEmpty { review.author = caller }
        guard !submission.requestID.isEmpty else { throw RPCError(code: .invalidArgument, message: "missing request ID") }
        guard var request = requests[submission.requestID] else {
            throw RPCError(code: .notFound, message: "access request \"\(submission.requestID)\" does not exist")
        }
        if let allowed = reviewableRoles[caller], !Set(request.spec.roles).isSubset(of: allowed) {
            throw RPCError(code: .permissionDenied, message: "user \"\(caller)\" cannot review access request \"\(submission.requestID)\"")
        }
        let newState: RequestState
        do {
            newState = try AccessReviewRules.review(
                author: review.author, caller: caller, proposed: ProtoMapping.state(review.proposedState), requestUser: request.spec.user,
                state: ProtoMapping.state(request.spec.state), earlier: ProtoMapping.request(request).reviews,
                thresholds: request.spec.thresholds.map { AccessReviewRules.Threshold(approve: Int($0.approve), deny: Int($0.deny)) })
        } catch {
            throw RPCError(code: error.isPermissionDenied ? .permissionDenied : .invalidArgument, message: error.message)
        }
        if !review.hasCreated || ProtoMapping.date(review.created) == nil { review.created = ProtoMapping.timestamp(clock()) }
        request.spec.reviews.append(review)
        request.spec.state = ProtoMapping.state(newState)
        if request.spec.state != .pending {
            request.spec.resolveReason = review.reason
            request.metadata.expires = request.spec.expires
        }
        requests[submission.requestID] = request
        return request
    }

    func getPluginData(_ filter: Types_PluginDataFilter) throws -> Proto_PluginDataSeq {
        guard filter.kind == "access_request" else { throw RPCError(code: .invalidArgument, message: "unsupported resource kind \"\(filter.kind)\"") }
        var sequence = Proto_PluginDataSeq()
        for (requestID, entries) in pluginData.sorted(by: { $0.key < $1.key }) {
            if !filter.resource.isEmpty && requestID != filter.resource { continue }
            if !filter.plugin.isEmpty && entries[filter.plugin] == nil { continue }
            var item = Types_PluginDataV3()
            item.kind = "plugin_data"
            item.subKind = "access_request"
            item.version = "v3"
            item.metadata.name = requestID
            item.spec.entries = entries.mapValues { data in
                var entry = Types_PluginDataEntry()
                entry.data = data
                return entry
            }
            sequence.pluginData.append(item)
        }
        return sequence
    }

    func updatePluginData(_ params: Types_PluginDataUpdateParams) throws {
        guard params.kind == "access_request" else { throw RPCError(code: .invalidArgument, message: "unsupported resource kind \"\(params.kind)\"") }
        if let index = pendingConcurrentWrites.firstIndex(where: { $0.requestID == params.resource && $0.plugin == params.plugin }) {
            let write = pendingConcurrentWrites.remove(at: index)
            apply(write.set, to: write.requestID, plugin: write.plugin)
        }
        guard pluginData[params.resource] != nil || requests[params.resource] != nil else {
            throw RPCError(code: .notFound, message: "access request \"\(params.resource)\" does not exist")
        }
        let current = pluginData[params.resource]?[params.plugin] ?? [:]
        for (key, expected) in params.expect.sorted(by: { $0.key < $1.key }) where (current[key] ?? "") != expected {
            throw RPCError(code: .failedPrecondition, message: "expectations not met for field \"\(key)\"")
        }
        apply(params.set, to: params.resource, plugin: params.plugin)
    }

    private func apply(_ set: [String: String], to requestID: String, plugin: String) {
        var entries = pluginData[requestID] ?? [:]
        var entry = entries[plugin] ?? [:]
        for (key, value) in set { entry[key] = value.isEmpty ? nil : value }
        entries[plugin] = entry.isEmpty ? nil : entry
        pluginData[requestID] = entries.isEmpty ? nil : entries
    }

    func create(_ request: Types_AccessRequestV3, caller: String) -> Types_AccessRequestV3 {
        var created = request
        created.metadata.name = UUID().uuidString.lowercased()
        if created.spec.state == .none { created.spec.state = .pending }
        if created.spec.user.isEmpty { created.spec.user = caller }
        if !created.spec.hasCreated { created.spec.created = ProtoMapping.timestamp(clock()) }
        if created.spec.thresholds.isEmpty {
            var threshold = Types_AccessReviewThreshold()
            threshold.approve = 1
            threshold.deny = 1
            created.spec.thresholds = [threshold]
        }
        requests[created.metadata.name] = created
        namesInOrder = nil
        return created
    }
}
