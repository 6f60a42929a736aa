import AccessReconciler
import ArgumentParser
import Foundation
import ReconcilerCommands
import ReconcilerMonitoring
import ReconcilerTesting

/// `reconciler-sandbox`: the job end to end on this machine, with nothing to set up: a fake Teleport Auth
/// Service (gRPC, mutual TLS) and a fake Opsgenie or JSM Operations (HTTP) on loopback, seeded with
/// a morning after an outage; then `plan`, `apply` and `plan` again with the real clients over real
/// sockets. With `--serve`, the fakes keep running for `access-reconciler plan` and `apply` by
/// hand. An executable of its own, so that the fakes never ship in `access-reconciler`.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler-sandbox",
        abstract: "Run plan, apply and plan again against a fake Teleport and a fake alert backend on this machine."
    )

    @Option(name: .long, help: ArgumentHelp("The state to seed both fakes with.", valueName: "file"))
    var scenario = "fixtures/sandbox/morning-after-outage.yaml"

    // The options the job has too take its sentence and default from its settings (the
    // sandbox reads no variable or file of them).
    @Option(name: .long, help: .sameAsJob("--manifests", valueName: "path"))
    var manifests = ReconcilerConfiguration().manifestsPath

    @Option(name: .long, help: .sameAsJob("--format", valueName: "format"))
    var format = ReconcilerConfiguration().format

    @Option(name: .long, help: ArgumentHelp("The alert backend to fake: opsgenie or jsm.", valueName: "backend"))
    var alertBackend: SandboxBackend = .opsgenie

    @Option(name: .long, help: .sameAsJob("--log-level", valueName: "level"))
    var logLevel = MonitoringSettings().logLevel

    @Flag(name: .long, help: "Start the fakes and keep them running until interrupted; print the configuration that reaches them.")
    var serve = false

    @Option(name: .long, help: ArgumentHelp(
        "With --serve: seed a mistake for `access-reconciler check` to find (repeatable): \(SandboxMisconfiguration.allCases.map(\.rawValue).joined(separator: ", ")).",
        valueName: "mistake"))
    var misconfigure: [SandboxMisconfiguration] = []

    func validate() throws {
        if !misconfigure.isEmpty && !serve { throw ValidationError("--misconfigure is for --serve: the one-shot run shows plan and apply, not check") }
    }

    func run() async throws {
        LogOutput.bootstrap(format: .text, level: logLevel, runID: LogOutput.newRunID())
        do {
            let status = try await serve ? SandboxServer(scenario: scenario, manifests: manifests, backend: alertBackend, misconfigurations: misconfigure).run() : runOnce()
            if status != .success { throw ExitCode(status.rawValue) }
        } catch let error as ExitCode {
            throw error
        } catch {
            LogOutput.say(.error, "\(error)")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }

    /// plan, apply, plan again; success when the last look finds nothing to write.
    private func runOnce() async throws -> ExitStatus {
        let (sandbox, manifestSet, fakes) = try await Self.startFakes(scenario: scenario, manifests: manifests, backend: alertBackend)
        CommandRunner.write("Sandbox: \(fakes)\n\n\n")
        var finalPlan: Plan?
        do {
            for (step, mode) in [("1. plan", RunReport.Mode.plan), ("2. apply", .apply), ("3. plan again", .plan)] {
                CommandRunner.write("=== \(step)\n")
                let clients = try await sandbox.clients()
                let report = try await Reconciler(configuration: sandbox.configuration(), manifests: manifestSet,
                                                  requests: clients.teleport, alerts: clients.alerts).run(mode)
                await clients.teleport.close()
                CommandRunner.write(try Reconciler.render(report, format: format) + "\n")
                finalPlan = report.finalPlan
            }
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
        guard let finalPlan, finalPlan.actions.isEmpty else {
            CommandRunner.write("The last look still found writes to make.\n")
            return .failure
        }
        CommandRunner.write("The last look found nothing to write: Teleport and \(alertBackend.serviceName) agree. Findings left are for people to act on.\n")
        return .success
    }
}

extension SandboxCommand {
    /// The fakes seeded from the scenario file, with the manifests' users in the fake directory,
    /// and what runs where, in words.
    static func startFakes(scenario: String, manifests: String, backend: SandboxBackend) async throws
        -> (sandbox: SandboxEnvironment, manifests: ManifestSet, description: String) {
        let manifestSet = try ManifestLoader().load(path: manifests)
        let seeded = try Scenario.load(path: scenario)
        let sandbox = try await SandboxEnvironment.start(scenario: seeded, backend: backend)
        await sandbox.addDirectory(of: manifestSet)
        let service = backend == .jsm ? "JSM Operations at \(await sandbox.jsm.baseURL.absoluteString)" : "Opsgenie at \(sandbox.opsgenieURL.absoluteString)"
        let description = """
            fake Teleport Auth Service (gRPC, mutual TLS) at \(sandbox.teleport.address), cluster \(seeded.cluster);
            fake \(service); \(seeded.requests.count) access requests and \(seeded.alerts.count) alerts from \(scenario).
            """
        return (sandbox, manifestSet, description)
    }
}

extension ArgumentHelp {
    /// The sentence of the job's setting of this flag, without its variable and file key.
    static func sameAsJob(_ flag: String, valueName: String) -> ArgumentHelp {
        ArgumentHelp(RunSettings.catalog.declaration(flag: flag).map { $0.help.replacingOccurrences(of: "`", with: "") } ?? "", valueName: valueName)
    }
}

extension ReportFormat: ExpressibleByArgument {}
extension SandboxBackend: ExpressibleByArgument {}
extension SandboxMisconfiguration: ExpressibleByArgument {}
