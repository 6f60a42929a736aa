#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc gives each thread that meets contention an arena of its own, up to eight per core, and
/// memory freed in one arena is not reused by another. The job's threads (the concurrency pool,
/// SwiftNIO's event loops, URLSession's) hold freed memory apart: a 10,000-request catch-up peaked
/// at 139 MB with the default and 128 MB with two arenas, with the same wall time (the benchmark's
/// `--child-wrapper` with `MALLOC_ARENA_MAX=2`). A `MALLOC_ARENA_MAX` in the environment wins.
enum MallocArenas {
    /// `M_ARENA_MAX` of glibc's `<malloc.h>`, which the Glibc module does not bring in.
    private static let arenaMaxParameter: Int32 = -8

    static func limit(to count: Int32 = 2) {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaxParameter, count)
        #endif
    }
}
