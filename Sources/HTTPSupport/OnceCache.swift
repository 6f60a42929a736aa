/// Values loaded at most once per key for the life of a client (a run): concurrent readers of a
/// key share one load, and a failed load is forgotten so that a later reader tries again.
public actor OnceCache<Key: Hashable & Sendable, Value: Sendable> {
    private var entries: [Key: Task<Value, Error>] = [:]

    public init() {}

    public func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let existing = entries[key] { return try await existing.value }
        let task = Task { try await load() }
        entries[key] = task
        do {
            return try await task.value
        } catch {
            entries[key] = nil
            throw error
        }
    }
}
