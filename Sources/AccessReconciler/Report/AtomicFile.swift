import Foundation

/// Writes a file whole or not at all: the bytes go to a temporary file in the same folder, are
/// flushed, and the temporary file is renamed over the target. A reader (node_exporter's textfile
/// collector, `apply --plan`) sees the old file or the new one, never half of one.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: Int = 0o644) throws {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        let temporary = folder + "/." + target.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: permissions]) else {
            throw AtomicFileError(path: path, reason: "cannot create a file in \(folder)")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AtomicFileError(path: path, reason: (error as NSError).localizedDescription)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
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
