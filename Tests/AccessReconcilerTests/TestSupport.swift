import AccessReconciler
import Foundation

/// Paths and small builders shared by the tests.
enum TestSupport {
    /// The repository's root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var manifestsPath: String { repositoryRoot + "/manifests" }
    static func fixture(_ name: String) -> String { repositoryRoot + "/fixtures/" + name }

    /// A fresh temporary directory holding `files` (relative path → contents).
    static func directory(_ files: [String: String]) throws -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ar-test-\(UUID().uuidString)")
        for (relative, contents) in files {
            let url = base.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base.path
    }

    /// `2026-11-25T08:00:00Z` plus `minutes`.
    static func time(_ minutes: Double = 0) -> Date {
        Date(timeIntervalSince1970: 1_795_593_600 + minutes * 60)
    }

    static func manifests(_ yaml: String) throws -> ManifestSet {
        let directory = try directory(["manifests.yaml": yaml])
        return try ManifestLoader().load(path: directory)
    }
}
