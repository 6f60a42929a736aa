import Foundation
import Testing

/// Runs the built `access-reconciler` executable as a user would.
@Suite("The command-line tool")
struct CommandLineTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func executable() throws -> URL {
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [buildDirectory, buildDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()]
            .map { $0.appendingPathComponent("access-reconciler") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "the access-reconciler executable was not built next to the tests")
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: TestSupport.repositoryRoot)
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("validate prints the routing table of the example manifests and exits 0")
    func validate() throws {
        let result = try run(["validate", "--manifests", "manifests"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Manifests OK: 6 roles, 4 users in 2 file(s); skipped 1 github."))
        #expect(result.stdout.contains("role editor\n  granted by:          requester\n  notify schedules:    teleport-access-request-notifications"))
    }

    @Test("a manifest with a YAML syntax error exits 1 naming file:line")
    func syntaxError() throws {
        let directory = try TestSupport.directory(["broken.yaml": "kind: role\nversion: v7\nmetadata:\n  name: [x\n"])
        let result = try run(["validate", "--manifests", directory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("access-reconciler: error: \(directory)/broken.yaml:5:1: YAML syntax error"))
        #expect(result.stdout.isEmpty)
    }

    @Test("settings come from the environment and the configuration file")
    func configurationLayers() throws {
        let directory = try TestSupport.directory(["config.yaml": "manifests: \(TestSupport.manifestsPath)\nopsgenie:\n  default_teams: [file-team]\n"])
        let fromFile = try run(["validate"], environment: ["ACCESS_RECONCILER_CONFIG": directory + "/config.yaml"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let bad = try run(["validate", "--manifests", "manifests"], environment: ["OPSGENIE_PRIORITY": "P9"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("OPSGENIE_PRIORITY: expected one of P1, P2, P3, P4, P5"))
    }

    @Test("plan without a Teleport address says which setting is missing and exits 1")
    func planNeedsTeleport() throws {
        let result = try run(["plan", "--manifests", "manifests"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing the Teleport address: set --teleport-addr or TELEPORT_ADDR"))
    }

    @Test("an invalid flag value is refused with usage, exit 64")
    func invalidFlag() throws {
        let result = try run(["plan", "--format", "xml"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--format must be text or json"))
    }

    @Test("the help lists the commands and the exit codes")
    func help() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        for word in ["plan", "apply", "validate", "Exit codes: 0 in sync or applied; 2 plan --detailed-exitcode"] {
            #expect(result.stdout.contains(word))
        }
    }
}
