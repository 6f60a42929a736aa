import AccessReconciler
import Foundation
import ReconcilerTesting

/// Paths and small builders shared by the tests.
enum TestSupport {
    /// The repository's root.
    static var repositoryRoot: String { TestRepository.root }

    static var manifestsPath: String { repositoryRoot + "/manifests" }
    static func fixture(_ name: String) -> String { repositoryRoot + "/fixtures/" + name }

    /// A fresh temporary directory holding `files` (relative path → contents).
    static func directory(_ files: [String: String]) throws -> String {
        try TestRepository.temporaryFolder(files)
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
