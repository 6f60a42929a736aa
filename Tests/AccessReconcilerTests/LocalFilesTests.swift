import AccessReconciler
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ReconcilerMonitoring
import Testing

/// The files the job leaves on its machine: the run lock, saved plans and the metrics file. A
/// local user must not be able to plant, redirect or read more of them than the README says.
@Suite("Local files")
struct LocalFilesTests {
    func mode(_ path: String) -> mode_t {
        var status = stat()
        _ = lstat(path, &status)
        return status.st_mode & 0o777
    }

    @Test("the lock file is made with mode 0600, and an own file that others could read is narrowed to it")
    func lockFileMode() throws {
        let folder = try TestSupport.directory([:])
        let fresh = folder + "/fresh.lock"
        _ = try RunLock(path: fresh, runID: "first")
        #expect(mode(fresh) == 0o600)
        let wide = folder + "/wide.lock"
        #expect(FileManager.default.createFile(atPath: wide, contents: nil, attributes: [.posixPermissions: 0o666]))
        _ = try RunLock(path: wide, runID: "second")
        #expect(mode(wide) == 0o600)
    }

    @Test("a symbolic link at the lock path is refused and what it points to is left untouched")
    func lockFileLinkRefused() throws {
        let folder = try TestSupport.directory(["victim": "keep me\n"])
        let path = folder + "/run.lock"
        #expect(symlink(folder + "/victim", path) == 0)
        let error = #expect(throws: ConfigurationError.self) { try RunLock(path: path, runID: "run") }
        #expect(error?.description.contains("it is a symbolic link, which the job does not follow") == true, "\(String(describing: error))")
        #expect(error?.description.contains(path) == true)
        #expect(try String(contentsOfFile: folder + "/victim", encoding: .utf8) == "keep me\n")
    }

    @Test("a lock file or lock folder of another user is refused, naming its owner", .enabled(if: geteuid() == 0, "needs root to give a file away"))
    func otherUsersLockRefused() throws {
        let folder = try TestSupport.directory([:])
        let path = folder + "/planted.lock"
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o666]))
        #expect(chown(path, 4242, 4242) == 0)
        let file = #expect(throws: ConfigurationError.self) { try RunLock(path: path, runID: "run") }
        #expect(file?.description.contains("the lock file belongs to uid 4242, not to this user") == true, "\(String(describing: file))")

        let runtime = try TestSupport.directory([:])
        #expect(mkdir(runtime + "/access-reconciler", 0o700) == 0 && chown(runtime + "/access-reconciler", 4242, 4242) == 0)
        let planted = #expect(throws: ConfigurationError.self) {
            try RunLock.defaultPath(teleportAddress: "auth:3025", environment: ["XDG_RUNTIME_DIR": runtime])
        }
        #expect(planted?.description.contains("the lock folder belongs to uid 4242") == true, "\(String(describing: planted))")
    }

    @Test("the default lock is in a folder of this user's alone, made 0700; a folder open to others, or a link, is refused")
    func defaultLockFolder() throws {
        let runtime = try TestSupport.directory([:])
        let path = try RunLock.defaultPath(teleportAddress: "auth.example.com:3025", environment: ["XDG_RUNTIME_DIR": runtime])
        #expect(path == runtime + "/access-reconciler/auth.example.com_3025.lock")
        #expect(mode(runtime + "/access-reconciler") == 0o700)
        _ = try RunLock(path: path, runID: "run")
        #expect(mode(path) == 0o600)

        let withoutRuntime = try RunLock.defaultPath(teleportAddress: "auth:3025", environment: [:])
        #expect(withoutRuntime.hasSuffix("/access-reconciler-\(geteuid())/auth_3025.lock"), "a folder of the user's own, by uid, not a shared name")
        #expect(mode((withoutRuntime as NSString).deletingLastPathComponent) == 0o700)

        let open = try TestSupport.directory([:])
        #expect(mkdir(open + "/access-reconciler", 0o700) == 0 && chmod(open + "/access-reconciler", 0o777) == 0)
        let error = #expect(throws: ConfigurationError.self) {
            try RunLock.defaultPath(teleportAddress: nil, environment: ["XDG_RUNTIME_DIR": open])
        }
        #expect(error?.description.contains("others can write in the lock folder (mode 777)") == true, "\(String(describing: error))")

        let linked = try TestSupport.directory([:])
        #expect(symlink(open, linked + "/access-reconciler") == 0)
        let link = #expect(throws: ConfigurationError.self) {
            try RunLock.defaultPath(teleportAddress: nil, environment: ["XDG_RUNTIME_DIR": linked])
        }
        #expect(link?.description.contains("the lock folder is not a folder") == true, "\(String(describing: link))")
    }

    @Test("a saved plan is mode 0600 (it names requesters and their reasons); the metrics file 0644 for node_exporter")
    func writtenFileModes() throws {
        let folder = try TestSupport.directory([:])
        let plan = Plan(cluster: "prod", generatedAt: TestSupport.time(), actions: [], findings: [])
        try SavedPlan(plan, alertBackend: .opsgenie).write(to: folder + "/plan.json")
        #expect(mode(folder + "/plan.json") == 0o600)
        // Written over an existing wider file, the new file keeps the narrow mode.
        #expect(chmod(folder + "/plan.json", 0o644) == 0)
        try SavedPlan(plan, alertBackend: .opsgenie).write(to: folder + "/plan.json")
        #expect(mode(folder + "/plan.json") == 0o600)
        try MetricsFile(path: folder + "/metrics.prom").write("up 1\n")
        #expect(mode(folder + "/metrics.prom") == 0o644)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary file is left behind")
    }
}
