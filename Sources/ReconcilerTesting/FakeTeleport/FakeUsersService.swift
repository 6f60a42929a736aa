import GRPCCore
import TeleportClient

/// The gRPC face of the fake's users service (`teleport.users.v1.UsersService`): GetUser, with
/// Teleport's read rules, answered from `FakeAuthState`.
struct FakeUsersService: Teleport_Users_V1_UsersService.SimpleServiceProtocol {
    let state: FakeAuthState

    func getUser(request: Teleport_Users_V1_GetUserRequest, context: ServerContext) async throws -> Teleport_Users_V1_GetUserResponse {
        let caller = try await FakeAuthService.caller(context, "GetUser", state: state)
        var response = Teleport_Users_V1_GetUserResponse()
        response.user = try await state.getUser(name: request.name, currentUser: request.currentUser,
                                                withSecrets: request.withSecrets, caller: caller)
        return response
    }
}
