@testable import ReconcilerCommands
import AccessReconciler
import ArgumentParser
import Foundation
import ReconcilerTesting
import Testing
import Yams

/// The files in `deploy/` are used as they are: every YAML document parses, the container's
/// arguments parse with the command's own parser, the configuration in the ConfigMap resolves
/// with the settings catalog, the manifests load from a ConfigMap-shaped folder, and everything
/// runs as a non-root user.
@Suite("Deployment files")
struct DeployFilesTests {
    static let deploy = TestRepository.root + "/deploy"

    /// Every YAML document under deploy/, with its file.
    static func documents() throws -> [(file: String, document: [String: Any])] {
        let files = try FileManager.default.subpathsOfDirectory(atPath: deploy)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        #expect(!files.isEmpty)
        var all: [(String, [String: Any])] = []
        for file in files {
            let text = try String(contentsOfFile: deploy + "/" + file, encoding: .utf8)
            for document in try Yams.load_all(yaml: text) {
                let mapping = try #require(document as? [String: Any], "\(file): every document is a mapping")
                all.append((file, mapping))
            }
        }
        return all
    }

    static func kubernetes(_ kind: String, _ name: String) throws -> [String: Any] {
        try #require(try documents().first { $0.document["kind"] as? String == kind && Self.name(of: $0.document) == name }?.document,
                     "\(kind) \(name) is in deploy/")
    }

    static func name(of document: [String: Any]) -> String? { (document["metadata"] as? [String: Any])?["name"] as? String }

    static func value(_ object: Any?, _ path: String...) -> Any? {
        var current = object
        for key in path {
            if let index = Int(key) { current = (current as? [Any]).flatMap { index < $0.count ? $0[index] : nil } } else {
                current = (current as? [String: Any])?[key]
            }
        }
        return current
    }

    @Test("every document names its kind and itself; Kubernetes ones their apiVersion and namespace, Teleport ones their version")
    func everyDocumentParses() throws {
        let documents = try Self.documents()
        #expect(documents.count >= 10)
        for (file, document) in documents {
            #expect(document["kind"] is String, "\(file)")
            #expect(Self.name(of: document) != nil, "\(file): metadata.name")
            if file.hasPrefix("kubernetes/") {
                #expect(document["apiVersion"] is String, "\(file): apiVersion")
                #expect(Self.value(document, "metadata", "namespace") as? String == "access-reconciler", "\(file): namespace")
            } else {
                #expect(document["version"] is String, "\(file): a Teleport resource has a version")
            }
        }
        let kinds = Set(documents.map { $0.document["kind"] as? String ?? "" })
        #expect(kinds.isSuperset(of: ["CronJob", "ConfigMap", "Secret", "ServiceAccount", "Deployment", "Role", "RoleBinding", "token", "role"]))
    }

    @Test("the CronJob's container runs as non-root with a read-only root, and its args parse with the command's own parser")
    func cronJob() throws {
        let cronJob = try Self.kubernetes("CronJob", "access-reconciler")
        #expect(Self.value(cronJob, "spec", "concurrencyPolicy") as? String == "Forbid")
        let pod = try #require(Self.value(cronJob, "spec", "jobTemplate", "spec", "template", "spec") as? [String: Any])
        #expect(pod["serviceAccountName"] as? String == "access-reconciler")
        #expect(Self.value(pod, "securityContext", "runAsNonRoot") as? Bool == true)
        #expect((Self.value(pod, "securityContext", "runAsUser") as? Int ?? 0) > 0)
        let container = try #require(Self.value(pod, "containers", "0") as? [String: Any])
        #expect(Self.value(container, "securityContext", "readOnlyRootFilesystem") as? Bool == true)
        #expect(Self.value(container, "securityContext", "allowPrivilegeEscalation") as? Bool == false)
        let args = try #require(container["args"] as? [String])
        let parsed = try AccessReconcilerCommand.parseAsRoot(args)
        let apply = try #require(parsed as? ApplyCommand, "the CronJob runs apply")
        let config = try #require(apply.options.config)
        let mounts = try #require(container["volumeMounts"] as? [[String: Any]])
        #expect(mounts.contains { config.hasPrefix(($0["mountPath"] as? String ?? "-") + "/") }, "the --config file is in a mounted folder")
        let deadline = try #require(Self.value(cronJob, "spec", "jobTemplate", "spec", "activeDeadlineSeconds") as? Int)
        let settings = try Self.resolvedConfiguration()
        #expect(settings.core.timeout < .seconds(deadline), "the job's own timeout ends it before Kubernetes does")
        #expect(mounts.contains { $0["mountPath"] as? String == "/tmp" }, "the lock file has a writable folder")
        let volumes = try #require(pod["volumes"] as? [[String: Any]])
        #expect(!volumes.contains { $0["hostPath"] != nil }, "no hostPath: the restricted Pod Security Standard refuses it")
        #expect(Self.value(container, "securityContext", "capabilities", "drop") as? [String] == ["ALL"])
        #expect(Self.value(pod, "securityContext", "seccompProfile", "type") as? String == "RuntimeDefault")
    }

    /// The ConfigMap's config.yaml, resolved as the job resolves it, with the manifests beside it.
    static func resolvedConfiguration() throws -> RunSettings {
        let configMap = try kubernetes("ConfigMap", "access-reconciler")
        let text = try #require(value(configMap, "data", "config.yaml") as? String)
        let folder = try TestRepository.temporaryFolder(["config.yaml": text])
        return try RunSettings.resolve(flags: [:], configFile: folder + "/config.yaml", environment: [:])
    }

    @Test("the configuration in the ConfigMap uses only keys the job knows, and names files in the mounted folders")
    func configuration() throws {
        let settings = try Self.resolvedConfiguration()
        #expect(settings.teleport.identityFile == "/var/run/teleport/identity")
        #expect(settings.opsgenie.apiKeyFile == "/var/run/secrets/opsgenie/api-key")
        #expect(settings.monitoring.logFormat == .json)
        #expect(settings.monitoring.pushgatewayURL != nil, "a CronJob's metrics go to a Pushgateway")
        let cronJob = try Self.kubernetes("CronJob", "access-reconciler")
        let mounts = try #require(Self.value(cronJob, "spec", "jobTemplate", "spec", "template", "spec", "containers", "0", "volumeMounts") as? [[String: Any]])
        let paths = mounts.compactMap { $0["mountPath"] as? String }
        for file in [settings.teleport.identityFile ?? "", settings.opsgenie.apiKeyFile ?? "", settings.core.lockFile ?? ""] {
            #expect(paths.contains { file.hasPrefix($0 + "/") }, "\(file) is in a mounted folder")
        }
    }

    @Test("the manifests ConfigMap, mounted as Kubernetes mounts it (..data and a hidden timestamped folder), loads each manifest once")
    func manifestsConfigMap() throws {
        let configMap = try Self.kubernetes("ConfigMap", "access-reconciler-manifests")
        let data = try #require(configMap["data"] as? [String: String])
        let root = try TestRepository.temporaryFolder([:]) + "/manifests"
        let hidden = "..2026_11_26_04_30_00.123456789"
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/" + hidden, withIntermediateDirectories: true)
        for (name, text) in data { try text.write(toFile: root + "/" + hidden + "/" + name, atomically: true, encoding: .utf8) }
        try manager.createSymbolicLink(atPath: root + "/..data", withDestinationPath: hidden)
        for name in data.keys { try manager.createSymbolicLink(atPath: root + "/" + name, withDestinationPath: "..data/" + name) }
        let manifests = try ManifestLoader().load(path: root)
        #expect(manifests.roles.count == 1 && manifests.users.count == 1)
    }

    @Test("tbot writes the Secret the CronJob mounts as the identity, and may touch no other Secret")
    func machineID() throws {
        let config = try Self.kubernetes("ConfigMap", "tbot-config")
        let tbot = try Yams.load(yaml: try #require(Self.value(config, "data", "tbot.yaml") as? String))
        #expect(Self.value(tbot, "onboarding", "join_method") as? String == "kubernetes")
        let secret = try #require(Self.value(tbot, "outputs", "0", "destination", "name") as? String)
        let cronJob = try Self.kubernetes("CronJob", "access-reconciler")
        let volumes = try #require(Self.value(cronJob, "spec", "jobTemplate", "spec", "template", "spec", "volumes") as? [[String: Any]])
        #expect(volumes.contains { Self.value($0, "secret", "secretName") as? String == secret })
        let role = try Self.kubernetes("Role", "tbot-secrets")
        let rules = try #require(role["rules"] as? [[String: Any]])
        for rule in rules where (rule["verbs"] as? [String] ?? []).contains(where: { ["get", "update", "patch"].contains($0) }) {
            #expect(Set(rule["resourceNames"] as? [String] ?? []) == [secret, Self.value(tbot, "storage", "name") as? String ?? ""])
        }
        let deployment = try Self.kubernetes("Deployment", "tbot")
        #expect(Self.value(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot") as? Bool == true)
        let token = try #require(try Self.documents().first { $0.document["kind"] as? String == "token" }?.document)
        #expect(Self.value(token, "spec", "kubernetes", "allow", "0", "service_account") as? String == "access-reconciler:tbot")
    }

    @Test("the Dockerfile builds with the script CI runs, and runs the release binary as a non-root user")
    func dockerfile() throws {
        let text = try String(contentsOfFile: Self.deploy + "/Dockerfile", encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let stages = lines.filter { $0.uppercased().hasPrefix("FROM ") }
        #expect(stages.count >= 2, "multi-stage")
        #expect(lines.contains { $0.hasPrefix("RUN ") && $0.contains("scripts/build-release.sh") })
        let finalStage = lines.drop { $0 != stages.last! }
        let user = try #require(finalStage.last { $0.hasPrefix("USER ") })
        #expect(!["root", "0", "0:0"].contains(user.dropFirst(5).trimmingCharacters(in: .whitespaces)))
        #expect(finalStage.contains { $0.hasPrefix("COPY --from=") && $0.contains("access-reconciler") })
        #expect(FileManager.default.isExecutableFile(atPath: TestRepository.root + "/scripts/build-release.sh"))
    }
}
