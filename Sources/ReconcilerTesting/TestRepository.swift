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
    public static var builtTool: URL? {
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return [buildDirectory, buildDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent("access-reconciler") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
