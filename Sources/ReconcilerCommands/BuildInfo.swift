/// What `--version` prints and the metrics' `build_info` names: the release, and the commit the
/// binary was built from. `scripts/build-release.sh` writes the commit into `BuildCommit.swift`
/// for the build (and puts the file back after); a plain `swift build` says `unknown`.
enum BuildInfo {
    static let version = "0.15.0"
    static var commit: String { buildCommit ?? "unknown" }
    static var description: String { "\(version) (commit \(commit))" }
}
