#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The lines the fakes process answers with, and what it measures of itself.
enum FakesReply {
    /// The calls of one run.
    struct RunCalls: Codable {
        var alerting: [String: Int]
        var teleport: [String: Int]
        /// Calls answered 429.
        var throttled: Int
        /// Accepted calls to the bucket a throttled run limits (alert writes).
        var limitedAccepted: Int
        /// Accepted alert writes (creates, notes, closes), whatever bucket the backend counts them in.
        var alertWrites: Int
        /// Those calls per second over the second half of them.
        var settledWriteRate: Double
        /// This process's CPU time so far (user and system).
        var cpuSeconds: Double
    }

    static func send<Value: Encodable>(_ value: Value) {
        let data = (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
        send(line: String(decoding: data, as: UTF8.self))
    }

    /// Writes a line to stdout at once (not through stdio's buffer, which a pipe would hold).
    static func send(line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Events per second over the second half of `times`: the rate a paced client settled at.
    static func settledRate(_ times: [Date]) -> Double {
        let half = times.sorted().suffix(times.count / 2)
        guard half.count > 1, let first = half.first, let last = half.last, last > first else { return 0 }
        return Double(half.count - 1) / last.timeIntervalSince(first)
    }

    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return CPUTime(usage).seconds
    }
}

/// User plus system CPU time of a `rusage`.
struct CPUTime {
    let seconds: Double

    init(_ usage: rusage) {
        seconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
