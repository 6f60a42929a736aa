import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a path is, following links, in the words an error needs: a manifest path that is a
/// dangling or looping link, a FIFO (reading it would block) or a device is refused, never skipped;
/// so is such a key file.
enum FileKind: Equatable {
    case regular, directory, missing
    case unusable(String)

    init(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .unusable("is a FIFO (named pipe), not a file; reading it would wait for a writer")
            case S_IFSOCK: self = .unusable("is a socket, not a file")
            default: self = .unusable("is a device, not a file")
            }
            return
        }
        let reason = errno
        var link = stat()
        if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            self = .unusable(reason == ELOOP ? "is a symbolic link that loops (through \(target))" : "is a symbolic link to \(target), which does not exist")
            return
        }
        self = reason == ENOENT ? .missing : .unusable(String(cString: strerror(reason)))
    }
}
