#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a program to completion and reports its exit status, wall time, CPU time (user and system,
/// from `wait4`) and peak resident memory.
///
/// The peak is the child's `VmHWM` from `/proc/<pid>/status`, read every 10 ms while it runs. Not
/// `wait4`'s `ru_maxrss`: Linux carries the forking process's high-water mark through `exec`, so
/// that figure is never below the benchmark's own size (which holds the fakes' data).
struct ChildProcess {
    struct Result {
        var status: Int32
        var seconds: Double
        var cpuSeconds: Double
        var peakResidentBytes: Int
    }

    static func run(_ path: String, arguments: [String], stdout: String) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: path]) }
        let sampler = PeakSampler(pid: pid)
        let thread = Thread { sampler.sampleUntilDone() }
        thread.start()
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let elapsed = ContinuousClock.now - start
        let peak = sampler.finish()
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      cpuSeconds: CPUTime(usage).seconds, peakResidentBytes: peak > 0 ? peak : Int(usage.ru_maxrss) * 1024)
    }
}

/// Samples a running process's peak resident memory (`VmHWM`) until told to stop.
private final class PeakSampler: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var peak = 0
    private var done = false

    init(pid: pid_t) {
        path = "/proc/\(pid)/status"
    }

    func sampleUntilDone() {
        while true {
            let bytes = Self.highWaterMark(path)
            lock.lock()
            peak = max(peak, bytes)
            let stop = done
            lock.unlock()
            if stop { return }
            usleep(10_000)
        }
    }

    /// Stops sampling and returns the peak seen, in bytes (0 where /proc is not there).
    func finish() -> Int {
        lock.lock()
        defer { lock.unlock() }
        done = true
        return peak
    }

    private static func highWaterMark(_ path: String) -> Int {
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}
