#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc gives each thread that meets contention an arena of its own, up to eight per core, and
/// memory freed in one arena is not reused by another. The job's threads (the concurrency pool,
/// SwiftNIO's event loops, URLSession's) hold freed memory apart: a 10,000-request catch-up peaked
/// at 139 MB with the default and 128 MB with two arenas, with the same wall time (the benchmark's
/// `--child-wrapper` with `MALLOC_ARENA_MAX=2`). A `MALLOC_ARENA_MAX` in the environment wins.
///
/// glibc also raises its mmap threshold each time a large block is freed, up to 32 MB, so that the
/// list pages, decoded observations and arrays of one look stay in the arenas after it, where the
/// next look's smaller blocks fragment them. A fixed threshold of 128 KiB gives such blocks back
/// when they are freed (a 10,000-request catch-up, one run each, set through the environment:
/// 123.8 MB peak without, 117.2 MB with it). A `MALLOC_MMAP_THRESHOLD_` in the environment wins.
enum MallocArenas {
    /// `M_ARENA_MAX` and `M_MMAP_THRESHOLD` of glibc's `<malloc.h>`, which the Glibc module does not bring in.
    private static let arenaMaxParameter: Int32 = -8
    private static let mmapThresholdParameter: Int32 = -3

    static func limit(to count: Int32 = 2, mmapThreshold: Int32 = 128 * 1024) {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let environment = ProcessInfo.processInfo.environment
        if environment["MALLOC_ARENA_MAX"] == nil { _ = mallopt(arenaMaxParameter, count) }
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = mallopt(mmapThresholdParameter, mmapThreshold) }
        #endif
    }
}
