import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `apply` at a time on this machine, by construction: an exclusive `flock` on a file, taken
/// before the first write and held until the process ends. The file records who holds it, so a run
/// that finds it taken can say which run that is. The kernel releases the lock when the holder
/// exits, however it exits, so a crash never leaves a stale lock behind.
///
/// Nobody else may own or redirect the lock: another local user who could create it first would
/// block every run (a file the job cannot lock) or point it elsewhere (a symbolic link the job
/// would truncate). So the file is opened without following links, must be a regular file of this
/// user, and is left at mode 0600; the default one lives in a folder of this user's alone.
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

    /// Takes the lock or throws `Held` (or a `ConfigurationError` when the file cannot be opened or
    /// is not this user's own).
    public init(path: String, runID: String, now: Date = Date()) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link, which the job does not follow" : String(cString: strerror(errno))
            throw Self.refused(path, "cannot open the lock file (\(reason))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw Self.refused(path, "the lock file is not a regular file")
        }
        guard status.st_uid == geteuid() else {
            close(descriptor)
            throw Self.refused(path, "the lock file belongs to uid \(status.st_uid), not to this user (uid \(geteuid())): another user could block or redirect the job's runs; remove it")
        }
        if status.st_mode & 0o077 != 0 { _ = fchmod(descriptor, 0o600) }
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

    /// The default lock file for a cluster address: one per address, so that jobs for different
    /// clusters on one machine do not wait for each other, in a folder only this user can write:
    /// `$XDG_RUNTIME_DIR/access-reconciler`, or `access-reconciler-<uid>` in the temporary folder.
    /// The folder is made with mode 0700; one that is a link, another user's, or open to others is
    /// refused, since whoever can write in it can replace the lock.
    public static func defaultPath(teleportAddress: String?,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let name = (teleportAddress ?? "default").map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        let folder: String
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            folder = (runtime as NSString).appendingPathComponent("access-reconciler")
        } else {
            folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("access-reconciler-\(geteuid())")
        }
        try privateFolder(folder)
        return (folder as NSString).appendingPathComponent("\(String(name)).lock")
    }

    /// Makes `folder` (mode 0700) unless it is there, then checks that it is this user's alone.
    static func privateFolder(_ folder: String) throws {
        if mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw refused(folder, "cannot make the lock folder (\(String(cString: strerror(errno))))")
        }
        var status = stat()
        guard lstat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw refused(folder, "the lock folder is not a folder (a symbolic link is not followed)")
        }
        guard status.st_uid == geteuid() else {
            throw refused(folder, "the lock folder belongs to uid \(status.st_uid), not to this user (uid \(geteuid())); remove it")
        }
        guard status.st_mode & 0o022 == 0 else {
            throw refused(folder, "others can write in the lock folder (mode \(String(status.st_mode & 0o777, radix: 8))); make it 0700")
        }
    }

    private static func refused(_ path: String, _ problem: String) -> ConfigurationError {
        .invalid(source: path, problem: problem + "; or point \(ReconcilerSettings.howToSet("lock_file")) at a path of this user's")
    }

    private static func contents(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
