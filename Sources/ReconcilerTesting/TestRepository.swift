import Foundation

/// Where the repository's fixtures and contracts are, for tests: found from this file's place in
/// the checkout, never from anything beside it.
public enum TestRepository {
    /// The checkout's root folder.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The project's description of the Opsgenie API subset the client and the fake use.
    public static var opsgenieContract: String { root + "/fixtures/contracts/opsgenie-v2.json" }
    public static var jsmContract: String { root + "/fixtures/contracts/jsm-ops-v1.json" }

    /// The built `access-reconciler` executable beside the running test bundle, or nil.
    public static var builtTool: URL? { built("access-reconciler") }

    /// One of the package's executables (`access-reconciler`, `reconciler-sandbox`) as built next to the tests.
    public static func built(_ executable: String) -> URL? {
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [buildDirectory, buildDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent(executable) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A fresh temporary folder holding `files` (relative path → contents).
    public static func temporaryFolder(_ files: [String: String]) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ar-test-\(UUID().uuidString)")
        for (relative, contents) in files {
            let url = base.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base.path
    }
}
