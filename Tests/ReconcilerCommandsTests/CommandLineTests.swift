import AccessReconciler
import Foundation
import ReconcilerTesting
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
        try #require(TestRepository.builtTool, "the access-reconciler executable was not built next to the tests")
    }

    /// Runs the built tool and waits without holding a thread: the tests share a small pool of
    /// threads with the in-process fakes, and a blocking wait there stalls every other test.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: TestRepository.root)
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        // Output goes to files, not pipes: reading one pipe to its end while the child fills the
        // other would deadlock once that pipe's buffer is full.
        let folder = try TestRepository.temporaryFolder([:])
        let outURL = URL(fileURLWithPath: folder + "/stdout"), errURL = URL(fileURLWithPath: folder + "/stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        try out.close()
        try err.close()
        let stdout = try Data(contentsOf: outURL), stderr = try Data(contentsOf: errURL)
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("validate prints the routing table of the example manifests and exits 0")
    func validate() async throws {
        let result = try await run(["validate", "--manifests", "manifests"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Manifests OK: 6 roles, 4 users in 2 file(s); skipped 1 github."))
        #expect(result.stdout.contains("role editor\n  granted by:          requester\n  notify schedules:    teleport-access-request-notifications"))
    }

    @Test("access monitoring rules beside the roles: validate counts them and says routing does not follow them yet; plan warns of the Opsgenie plugin's")
    func accessMonitoringRules() async throws {
        let roles = try String(contentsOfFile: TestRepository.root + "/manifests/roles.yaml", encoding: .utf8)
        let rule = """
            kind: access_monitoring_rule
            version: v1
            metadata:
              name: editors-to-platform
            spec:
              subjects: [access_request]
              condition: access_request.spec.roles.contains("editor")
              notification:
                name: opsgenie
                recipients: [platform-oncall]
            """
        let directory = try TestRepository.temporaryFolder(["roles.yaml": roles, "rules.yaml": rule])
        let result = try await run(["validate", "--manifests", directory])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 access monitoring rule(s) checked; routing does not evaluate them yet: alerts follow the roles' annotations."),
                "\(result.stdout)")
        let plan = try await run(["plan", "--manifests", directory, "--teleport-addr", "teleport.invalid:3025",
                                  "--teleport-identity", directory + "/no-identity"], environment: ["OPSGENIE_API_KEY": "k"])
        #expect(plan.status == 1, "no identity file: the run stops after the warning")
        #expect(plan.stderr.contains("access monitoring rules for Teleport's Opsgenie plugin (editors-to-platform)"), "\(plan.stderr)")
    }

    @Test("a manifest with a YAML syntax error exits 1 naming file:line")
    func syntaxError() async throws {
        let directory = try TestRepository.temporaryFolder(["broken.yaml": "kind: role\nversion: v7\nmetadata:\n  name: [x\n"])
        let result = try await run(["validate", "--manifests", directory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("access-reconciler: error: \(directory)/broken.yaml:5:1: YAML syntax error"))
        #expect(result.stdout.isEmpty)
    }

    @Test("settings come from the configuration file, and the environment overrides it")
    func configurationLayers() async throws {
        // A role of its own, without teams, so that the file's manifests path and default teams
        // both show in the routing table (the default ./manifests would not).
        let manifests = try TestRepository.temporaryFolder(["only.yaml": """
            kind: role
            version: v7
            metadata:
              name: only-requester
            spec:
              allow:
                request:
                  roles: [auditor]
                  annotations:
                    teleport.dev/notify-services: [audit-oncall]
            """])
        let directory = try TestRepository.temporaryFolder(["config.yaml": "manifests: \(manifests)\nopsgenie:\n  default_teams: [file-team]\n"])
        let fromFile = try await run(["validate"], environment: ["ACCESS_RECONCILER_CONFIG": directory + "/config.yaml"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stdout.contains("Manifests OK: 1 roles, 0 users in 1 file(s)"), "\(fromFile.stdout)")
        #expect(fromFile.stdout.contains("role auditor\n  granted by:          only-requester\n  notify schedules:    audit-oncall\n  notify teams:        file-team (default)"),
                "\(fromFile.stdout)")
        // The file and the variable use the older Opsgenie names: they work, with a warning each.
        #expect(fromFile.stderr.contains("access-reconciler: warning: \(directory)/config.yaml:3:18: opsgenie.default_teams is deprecated: use alerting.default_teams"),
                "\(fromFile.stderr)")
        let overridden = try await run(["validate"], environment: ["ACCESS_RECONCILER_CONFIG": directory + "/config.yaml", "OPSGENIE_DEFAULT_TEAMS": "env-team"])
        #expect(overridden.stdout.contains("notify teams:        env-team (default)"), "\(overridden.stdout)")
        #expect(overridden.stderr.contains("access-reconciler: warning: OPSGENIE_DEFAULT_TEAMS is deprecated: use ACCESS_RECONCILER_DEFAULT_TEAMS"))
        let bad = try await run(["validate", "--manifests", "manifests"], environment: ["OPSGENIE_PRIORITY": "P9"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("OPSGENIE_PRIORITY: expected one of P1, P2, P3, P4, P5"))
    }

    @Test("plan without a Teleport address says which setting is missing and exits 1")
    func planNeedsTeleport() async throws {
        let result = try await run(["plan", "--manifests", "manifests"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing the Teleport address: set --teleport-addr or TELEPORT_ADDR"))
    }

    @Test("JSM chosen but its account or token not given: exit 1 naming the setting, before any connection")
    func jsmNeedsCredentials() async throws {
        let directory = try TestRepository.temporaryFolder(["identity": "not read"])
        let base = ["plan", "--manifests", "manifests", "--alert-backend", "jsm", "--teleport-addr", "teleport.invalid:3025",
                    "--teleport-identity", directory + "/identity"]
        let noUser = try await run(base)
        #expect(noUser.status == 1)
        #expect(noUser.stderr.contains("missing the JSM account: set --jsm-user or JSM_USER"), "\(noUser.stderr)")
        let noToken = try await run(base + ["--jsm-user", "bot@example.com"])
        #expect(noToken.stderr.contains("missing the JSM API token: set JSM_API_TOKEN or --jsm-api-token-file"), "\(noToken.stderr)")
        let noSite = try await run(base + ["--jsm-user", "bot@example.com"], environment: ["JSM_API_TOKEN": "secret-token-value"])
        #expect(noSite.stderr.contains("missing the JSM site: set --jsm-site-url (or --jsm-cloud-id)"), "\(noSite.stderr)")
        #expect(!noSite.stderr.contains("secret-token-value"))
    }

    @Test("apply while another run holds the lock: exit 1 naming the holder, before any connection")
    func lockHeld() async throws {
        let directory = try TestRepository.temporaryFolder([:])
        let lock = try RunLock(path: directory + "/apply.lock", runID: "holder")
        let result = try await run(["apply", "--manifests", "manifests", "--lock-file", directory + "/apply.lock",
                              "--teleport-addr", "teleport.invalid:3025", "--teleport-identity", directory + "/no-identity"],
                             environment: ["OPSGENIE_API_KEY": "k"])
        withExtendedLifetime(lock) {}
        #expect(result.status == 1)
        #expect(result.stderr.contains("another run holds the lock \(directory)/apply.lock (run holder, pid"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a Teleport name that does not resolve: exit 1 promptly, naming the address")
    func unresolvableTeleport() async throws {
        let identity = try TestCertificateAuthority(cluster: "teleport.example.com")
            .writeIdentityFile(user: "access-reconciler", directory: URL(fileURLWithPath: try TestRepository.temporaryFolder([:])))
        let result = try await run(["plan", "--manifests", "manifests", "--teleport-addr", "teleport.invalid:3025", "--teleport-identity", identity],
                             environment: ["OPSGENIE_API_KEY": "k", "OPSGENIE_API_URL": "http://127.0.0.1:9"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Teleport at teleport.invalid:3025 cannot be reached"), "\(result.stderr)")
    }

    @Test("an invalid setting value exits 1 naming the setting, from a flag as from the environment or the file; an unknown option is a usage error, exit 64")
    func invalidFlag() async throws {
        let flag = try await run(["plan", "--format", "xml"])
        #expect(flag.status == 1)
        #expect(flag.stderr.contains("--format: expected text or json"), "\(flag.stderr)")
        let url = try await run(["plan", "--opsgenie-url", "not a url"])
        #expect(url.status == 1)
        #expect(url.stderr.contains("--opsgenie-url"), "\(url.stderr)")
        let environment = try await run(["plan"], environment: ["ACCESS_RECONCILER_FORMAT": "xml"])
        #expect(environment.status == 1)
        #expect(environment.stderr.contains("ACCESS_RECONCILER_FORMAT: expected text or json"), "\(environment.stderr)")
        let unknown = try await run(["plan", "--no-such-option"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Usage:"))
    }

    @Test("the help lists the commands and the exit codes")
    func help() async throws {
        let result = try await run(["--help"])
        #expect(result.status == 0)
        for word in ["plan", "apply", "validate", "Exit codes: 0 in sync or applied; 2 plan --detailed-exitcode"] {
            #expect(result.stdout.contains(word))
        }
    }

    @Test("the shipped binary links none of the fakes, and its old `sandbox` name says where the sandbox is now")
    func noFakesShipped() async throws {
        let binary = try Data(contentsOf: try Self.executable())
        // Swift's mangled names and reflection metadata carry each linked module's name.
        for module in ["ReconcilerTesting", "FakeOpsgenie", "SandboxEnvironment"] {
            #expect(binary.range(of: Data(module.utf8)) == nil, "access-reconciler links \(module)")
        }
        let result = try await run(["sandbox", "--alert-backend", "jsm"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("swift run reconciler-sandbox --alert-backend jsm"))
    }
}
