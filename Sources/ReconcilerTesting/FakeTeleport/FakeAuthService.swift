import GRPCCore
import GRPCNIOTransportHTTP2Posix
import SwiftProtobuf
import TeleportClient
import X509

/// The gRPC face of the fake Auth Service: each call names its caller by the client certificate's
/// common name (as Teleport does) and is answered from `FakeAuthState`.
struct FakeAuthService: Proto_AuthService.SimpleServiceProtocol {
    let state: FakeAuthState

    private func caller(_ context: ServerContext, _ method: String) async throws -> String {
        try await Self.caller(context, method, state: state)
    }

    /// The caller's user name, recorded with the call; unauthenticated without a client certificate.
    static func caller(_ context: ServerContext, _ method: String, state: FakeAuthState) async throws -> String {
        let peer = (context.transportSpecific as? HTTP2ServerTransport.Posix.Context)?.peerCertificate
        // The raw value, as Teleport reads the caller's name (never an escaped string form).
        let user = peer?.subject.commonName
        guard let user else { throw RPCError(code: .unauthenticated, message: "no client certificate") }
        try await state.enter(method, caller: user)
        return user
    }

    func ping(request: Proto_PingRequest, context: ServerContext) async throws -> Proto_PingResponse {
        _ = try await caller(context, "Ping")
        return await state.ping()
    }

    func listAccessRequests(request: Proto_ListAccessRequestsRequest, context: ServerContext) async throws -> Proto_ListAccessRequestsResponse {
        _ = try await caller(context, "ListAccessRequests")
        return try await state.list(request)
    }

    func getAccessRequestsV2(request: Types_AccessRequestFilter, response: RPCWriter<Types_AccessRequestV3>, context: ServerContext) async throws {
        _ = try await caller(context, "GetAccessRequestsV2")
        let (messages, cutAfter) = await state.stream(request)
        for (index, message) in messages.enumerated() {
            if let cutAfter, index >= cutAfter { throw RPCError(code: .internalError, message: "stream reset by the server") }
            try await response.write(message)
        }
    }

    func submitAccessReview(request: Types_AccessReviewSubmission, context: ServerContext) async throws -> Types_AccessRequestV3 {
        let user = try await caller(context, "SubmitAccessReview")
        return try await state.submitReview(request, caller: user)
    }

    func getPluginData(request: Types_PluginDataFilter, context: ServerContext) async throws -> Proto_PluginDataSeq {
        _ = try await caller(context, "GetPluginData")
        return try await state.getPluginData(request)
    }

    func updatePluginData(request: Types_PluginDataUpdateParams, context: ServerContext) async throws -> Google_Protobuf_Empty {
        _ = try await caller(context, "UpdatePluginData")
        try await state.updatePluginData(request)
        return Google_Protobuf_Empty()
    }

    func createAccessRequestV2(request: Types_AccessRequestV3, context: ServerContext) async throws -> Types_AccessRequestV3 {
        let user = try await caller(context, "CreateAccessRequestV2")
        return await state.create(request, caller: user)
    }

    func getRole(request: Proto_GetRoleRequest, context: ServerContext) async throws -> Types_RoleV6 {
        let user = try await caller(context, "GetRole")
        return try await state.role(request.name, caller: user, held: Self.roles(context))
    }

    /// The roles the caller's certificate holds (its subject's organizations, as Teleport writes them).
    static func roles(_ context: ServerContext) -> [String] {
        let peer = (context.transportSpecific as? HTTP2ServerTransport.Posix.Context)?.peerCertificate
        var roles: [String] = []
        for relative in peer?.subject ?? DistinguishedName() {
            for attribute in relative where attribute.type == .RDNAttributeType.organizationName {
                if let role = String(attribute.value) { roles.append(role) }
            }
        }
        return roles
    }

    func deleteAccessRequest(request: Proto_RequestID, context: ServerContext) async throws -> Google_Protobuf_Empty {
        _ = try await caller(context, "DeleteAccessRequest")
        await state.delete(request.id)
        return Google_Protobuf_Empty()
    }
}
