import AccessReconciler
import Foundation
import GRPCCore

/// `check`'s read-only calls: Ping, one page of one access request, and the plugin data of the
/// job's plugin, each classified by its gRPC status.
extension TeleportAccessRequests: TeleportPreflight {
    public var identitySummary: PreflightIdentity {
        PreflightIdentity(user: identity.user, roles: identity.roles, expires: identity.expires, source: configuration.identityFile)
    }

    public var route: String {
        guard let proxy = try? configuration.usesProxy() else { return configuration.address }
        return proxy
            ? "\(configuration.address) (a Proxy with TLS routing, to cluster \(configuration.clusterName ?? identity.issuingCluster))"
            : "\(configuration.address) (the Auth Service)"
    }

    public func serverInfo() async throws -> (cluster: String, version: String) {
        let response = try await ping()
        return (response.clusterName, response.serverVersion)
    }

    /// One page of one request; where the server does not implement `ListAccessRequests`, the
    /// stream a run falls back to, for an id no request has, so that nothing but the rights is read.
    public func probeRequestListing() async -> ProbeOutcome {
        var request = Proto_ListAccessRequestsRequest()
        request.limit = 1
        do {
            _ = try await call("list access requests", mapErrors: false) { options in try await service.listAccessRequests(request, options: options) }
            return .accepted
        } catch let error as RPCError where error.code == .unimplemented {
            var filter = Types_AccessRequestFilter()
            filter.id = "access-reconciler-check-\(UUID().uuidString)"
            return await probe("list access requests (stream)") { options in
                try await service.getAccessRequestsV2(filter, options: options) { response in
                    for try await _ in response.messages {}
                }
            }
        } catch {
            return outcome(of: error, operation: "list access requests")
        }
    }

    public func probePluginData(plugin: String) async -> ProbeOutcome {
        var filter = Types_PluginDataFilter()
        filter.kind = "access_request"
        filter.plugin = plugin
        return await probe("read plugin data") { options in _ = try await service.getPluginData(filter, options: options) }
    }

    /// `GetRole`: a user may always read the roles it holds (`lib/auth/auth_with_roles.go`).
    /// NOT_FOUND is no such role; any other failure throws.
    public func role(named name: String) async throws -> Role? {
        var request = Proto_GetRoleRequest()
        request.name = name
        do {
            let message = try await call("read role \(name)", mapErrors: false) { options in try await service.getRole(request, options: options) }
            return try ProtoMapping.role(message)
        } catch let error as RPCError where error.code == .notFound {
            return nil
        } catch {
            throw TeleportError.from(error, operation: "read role \(name)", address: configuration.address)
        }
    }

    private func probe(_ operation: String, _ body: (CallOptions) async throws -> Void) async -> ProbeOutcome {
        do {
            try await call(operation, mapErrors: false, body)
            return .accepted
        } catch {
            return outcome(of: error, operation: operation)
        }
    }

    /// A failed probe by its gRPC status: refused, a request Teleport calls wrong, or neither.
    private func outcome(of error: any Error, operation: String) -> ProbeOutcome {
        if let error = error as? RPCError, error.code == .permissionDenied || error.code == .unauthenticated {
            return .refused("\(TeleportError.name(error.code)): \(error.message)")
        }
        if let error = error as? RPCError, error.code == .invalidArgument {
            return .invalid("\(TeleportError.name(error.code)): \(error.message)")
        }
        return .failed("\(TeleportError.from(error, operation: operation, address: configuration.address))")
    }
}
