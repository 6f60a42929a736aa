/// Values loaded at most once per key for the life of a client (a run): concurrent readers of a
/// key share one load, and a failed load is forgotten so that a later reader tries again. A
/// reader that is cancelled (the run's deadline) cancels the load it waits for: the readers of
/// one run are cancelled together, and a load nobody can use must not hold the run.
public actor OnceCache<Key: Hashable & Sendable, Value: Sendable> {
    private var entries: [Key: Task<Value, Error>] = [:]

    public init() {}

    public func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let existing = entries[key] { return try await Self.waitCancellably(existing) }
        let task = Task { try await load() }
        entries[key] = task
        do {
            return try await Self.waitCancellably(task)
        } catch {
            entries[key] = nil
            throw error
        }
    }

    /// The task's value; cancelling the waiter cancels the task.
    private static func waitCancellably<T: Sendable>(_ task: Task<T, Error>) async throws -> T {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
