import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file whole or not at all: the bytes go to a temporary file in the same folder, are
/// flushed, and the temporary file is renamed over the target. A reader (node_exporter's textfile
/// collector, `apply --plan`) sees the old file or the new one, never half of one.
///
/// The temporary file is made new (`O_EXCL`, no link followed) with exactly `permissions`, whatever
/// the umask, so nobody can have it open or have planted it before the bytes go in.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: mode_t) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        let temporary = folder + "/." + target.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions)
        guard descriptor >= 0 else {
            throw AtomicFileError(path: path, reason: "cannot create a file in \(folder) (\(String(cString: strerror(errno))))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            guard fchmod(descriptor, permissions) == 0 else { throw AtomicFileError(path: path, reason: String(cString: strerror(errno))) }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            unlink(temporary)
            throw error as? AtomicFileError ?? AtomicFileError(path: path, reason: (error as NSError).localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
    }
}

/// A file that could not be written; the earlier file, if any, is left as it was.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): cannot write: \(reason)" }
}
