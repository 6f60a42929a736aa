import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `apply` at a time on this machine, by construction: an exclusive `flock` on a file, taken
/// before the first write and held until the process ends. The file records who holds it, so a run
/// that finds it taken can say which run that is. The kernel releases the lock when the holder
/// exits, however it exits, so a crash never leaves a stale lock behind.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// What the holder wrote into the lock file.
    public struct Held: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var holder: String

        public var description: String {
            "another run holds the lock \(path) (\(holder.isEmpty ? "holder unknown" : holder)); this run wrote nothing. Runs must not overlap: the next scheduled run continues"
        }
    }

    /// Takes the lock or throws `Held` (or a `ConfigurationError` when the file cannot be opened).
    public init(path: String, runID: String, now: Date = Date()) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ConfigurationError.invalid(source: path, problem: "cannot open the lock file (\(String(cString: strerror(errno)))); "
                + "point --lock-file or ACCESS_RECONCILER_LOCK_FILE at a writable path")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            // The holder writes its record right after taking the lock: give it a moment.
            var holder = RunLock.contents(descriptor)
            for _ in 0..<5 where holder.isEmpty {
                usleep(50_000)
                holder = RunLock.contents(descriptor)
            }
            close(descriptor)
            throw Held(path: path, holder: holder)
        }
        let record = "run \(runID), pid \(getpid()) on \(ProcessInfo.processInfo.hostName), since \(ISO8601DateFormatter().string(from: now))\n"
        _ = ftruncate(descriptor, 0)
        _ = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The default lock file for a cluster address: one per address in the temporary folder, so
    /// that jobs for different clusters on one machine do not wait for each other.
    public static func defaultPath(teleportAddress: String?) -> String {
        let name = (teleportAddress ?? "default").map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("access-reconciler-\(String(name)).lock")
    }

    private static func contents(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
