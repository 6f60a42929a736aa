import AccessReconciler
import ArgumentParser

/// `validate`: checks the manifests and configuration offline and prints the routing table.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests and configuration and print the routing table (no network).",
        discussion: SharedOptions.discussion()
    )

    @OptionGroup var options: SharedOptions

    func run() async throws {
        try await CommandRunner.run(options: options, publishMetrics: false) { context in
            let configuration = context.settings.core
            let manifests = try RunSetup.load(configuration, alertBackend: context.settings.backend).manifests
            let summary = ManifestSummary(manifests)
            let skipped = summary.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            CommandRunner.write("Manifests OK: \(summary.roles) roles, \(summary.users) users in \(manifests.files.count) file(s)"
                + (skipped.isEmpty ? "" : "; skipped \(skipped.joined(separator: ", "))") + ".\n"
                + Self.rulesLine(manifests) + "\n")
            CommandRunner.write(RoutingTable(manifests: manifests, policy: configuration.planningPolicy).render())
            return CommandRunner.Ending(.success)
        }
    }

    /// What the Access Monitoring Rules in the manifests do today: they are checked, and routing
    /// does not follow them yet, which a user of rules must know.
    static func rulesLine(_ manifests: ManifestSet) -> String {
        let count = manifests.accessMonitoringRules.count
        guard count > 0 else { return "" }
        return "\(count) access monitoring rule(s) checked; routing does not evaluate them yet: alerts follow the roles' annotations.\n"
    }
}
