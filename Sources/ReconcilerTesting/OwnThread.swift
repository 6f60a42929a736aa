import Foundation

/// Runs seconds of CPU work on a thread of its own and waits for it without holding a thread of
/// the small shared pool, which the in-process fakes of other tests answer on (full runs stalled
/// for tens of seconds when such work ran in a test's task). The work returns what the test then
/// checks: an expectation evaluated on that thread would belong to no test.
public enum OwnThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            Thread { done.resume(with: Result { try work() }) }.start()
        }
    }
}
