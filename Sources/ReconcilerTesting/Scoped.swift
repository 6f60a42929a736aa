/// Runs `body` with a started fake and stops it afterwards, also when `body` throws (a failed
/// `#require` included), so that no test leaks a listening server. Swift's `defer` cannot await,
/// hence a scope function.
@discardableResult
public func withStopping<Resource: Sendable, Result>(
    _ resource: Resource, stop: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        await stop(resource)
        throw error
    }
    await stop(resource)
    return result
}
