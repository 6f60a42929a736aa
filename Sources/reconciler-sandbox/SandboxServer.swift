import AccessReconciler
import Dispatch
import Foundation
import ReconcilerCommands
import ReconcilerTesting

/// `reconciler-sandbox --serve`: the fakes of the sandbox, seeded as for the one-shot run, kept running until
/// SIGINT or SIGTERM. It writes a configuration file (and the credential beside it, mode 0600)
/// with which `plan` and `apply` reach them, prints how to use it, and removes the folder at the end.
struct SandboxServer {
    let scenario: String
    let manifests: String
    let backend: SandboxBackend
    /// Mistakes seeded into the fakes for `check` to find.
    var misconfigurations: [SandboxMisconfiguration] = []

    func run() async throws -> ExitStatus {
        let (sandbox, manifestSet, fakes) = try await SandboxCommand.startFakes(scenario: scenario, manifests: manifests, backend: backend)
        var seeded: [String] = []
        do {
            for mistake in misconfigurations { seeded.append(try await mistake.apply(to: sandbox, manifests: manifestSet)) }
        } catch {
            await sandbox.stop()
            throw error
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("access-reconciler-sandbox-\(UUID().uuidString.prefix(8))").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let config = try await writeConfiguration(sandbox: sandbox, folder: folder)
            CommandRunner.write("""
                Sandbox serving: \(fakes)
                \(seeded.map { "Seeded mistake: \($0)\n" }.joined())CONFIG \(config)

                Try, in another terminal:
                  access-reconciler check --config \(config)
                  access-reconciler plan --config \(config)
                  access-reconciler plan --config \(config) --out plan.json
                  access-reconciler apply --config \(config) --plan plan.json
                  access-reconciler apply --config \(config) --metrics-file metrics.prom --log-format json
                Stop with Ctrl-C.

                """)
            await Self.waitForSignal()
        } catch {
            await sandbox.stop()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        await sandbox.stop()
        try? FileManager.default.removeItem(atPath: folder)
        CommandRunner.write("Sandbox stopped.\n")
        return .success
    }

    /// `config.yaml` in `folder`: the settings of the sandbox's command line as file keys, the
    /// credential in a file of its own, the manifests as given.
    private func writeConfiguration(sandbox: SandboxEnvironment, folder: String) async throws -> String {
        let (arguments, environment) = await sandbox.commandLine()
        var values: [String: String] = ["manifests": URL(fileURLWithPath: manifests).standardizedFileURL.path]
        var index = 0
        while index + 1 < arguments.count {
            if let declaration = RunSettings.catalog.declaration(flag: arguments[index]) { values[declaration.key] = arguments[index + 1] }
            index += 2
        }
        let secretFile = folder + "/api-key"
        guard let secret = environment.values.first else { throw ConfigurationError.invalid(source: "sandbox", problem: "no credential") }
        guard FileManager.default.createFile(atPath: secretFile, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError.invalid(source: secretFile, problem: "cannot write the credential")
        }
        values[backend == .jsm ? "jsm.api_token_file" : "opsgenie.api_key_file"] = secretFile
        let path = folder + "/config.yaml"
        try Self.yaml(values).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Dotted keys as nested YAML mappings, every value a quoted string.
    static func yaml(_ values: [String: String]) -> String {
        var lines: [String] = []
        var section: String?
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            let quoted = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            if parts.count == 2 {
                if section != parts[0] { lines.append("\(parts[0]):"); section = parts[0] }
                lines.append("  \(parts[1]): \(quoted)")
            } else {
                section = nil
                lines.append("\(key): \(quoted)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Returns on SIGINT or SIGTERM.
    static func waitForSignal() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = SignalOnce(continuation)
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
                source.setEventHandler { once.fire() }
                source.resume()
                once.keep(source)
            }
        }
    }
}

/// Resumes a continuation once, whichever signal comes first; keeps the signal sources alive.
private final class SignalOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = continuation
    }

    func keep(_ source: any DispatchSourceSignal) {
        lock.withLock { sources.append(source) }
    }

    func fire() {
        let pending = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume()
    }
}
