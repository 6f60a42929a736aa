import AccessReconciler
import Foundation
import Testing

@Suite("Loading manifests")
struct ManifestLoaderTests {
    @Test("the example manifests load: roles, users, and other kinds counted")
    func exampleManifests() throws {
        let manifests = try ManifestLoader().load(path: TestSupport.manifestsPath)
        #expect(manifests.roles.keys.sorted() == ["access-reconciler", "db-reader-payments", "db-requester", "db-writer-payments", "editor", "requester"])
        #expect(manifests.users.keys.sorted() == ["access-reconciler", "alice@example.com", "bob", "myuser@example.com"])
        #expect(manifests.skippedKinds == ["github": 1])
        let requester = try #require(manifests.roles["requester"]?.allowRequest)
        #expect(requester.roles.map(\.source) == ["editor"])
        #expect(requester.thresholds == [ReviewThreshold(approve: 1, deny: 1)])
        #expect(requester.annotations["teleport.dev/schedules"]?.map(\.source) == ["teleport-access-alert-schedules"])
        #expect(manifests.roles["db-requester"]?.allowRequest?.maxDuration == .seconds(28_800))
        #expect(manifests.users["bob"]?.traits["team"] == ["payments"])
    }

    @Test("files are found recursively below a directory, .yaml and .yml, in a stable order")
    func recursiveDirectory() throws {
        let directory = try TestSupport.directory([
            "b/roles.yml": "kind: role\nversion: v7\nmetadata: {name: two}\n",
            "a/deep/roles.yaml": "kind: role\nversion: v7\nmetadata: {name: one}\n",
            "notes.txt": "not yaml: [",
        ])
        let manifests = try ManifestLoader().load(path: directory)
        #expect(manifests.roles.keys.sorted() == ["one", "two"])
        #expect(manifests.files.map { ($0 as NSString).lastPathComponent } == ["roles.yaml", "roles.yml"])
    }

    @Test("a Kubernetes ConfigMap mounted as a folder: the hidden ..<timestamp>/ copies and the ..data link are skipped")
    func configMapLayout() throws {
        // What the kubelet writes for a ConfigMap volume: the files in a hidden timestamped folder,
        // `..data` linking to it, and each visible name linking through `..data`.
        let roles = try String(contentsOfFile: TestSupport.manifestsPath + "/roles.yaml", encoding: .utf8)
        let users = try String(contentsOfFile: TestSupport.manifestsPath + "/users.yaml", encoding: .utf8)
        let folder = try TestSupport.directory(["..2026_11_26_04_30_00.123456789/roles.yaml": roles,
                                                "..2026_11_26_04_30_00.123456789/users.yaml": users])
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: folder + "/..data", withDestinationPath: "..2026_11_26_04_30_00.123456789")
        try manager.createSymbolicLink(atPath: folder + "/roles.yaml", withDestinationPath: "..data/roles.yaml")
        try manager.createSymbolicLink(atPath: folder + "/users.yaml", withDestinationPath: "..data/users.yaml")
        let set = try ManifestLoader().load(path: folder)
        #expect(set.files == [folder + "/roles.yaml", folder + "/users.yaml"])
        #expect(set.roles.count == 6)
        #expect(set.users.count == 4)
    }

    @Test("a dangling or looping *.yaml link, a FIFO and a folder given as the manifests are errors that say what they are")
    func unusableEntries() throws {
        let folder = try TestSupport.directory(["roles.yaml": "kind: role\nversion: v7\nmetadata:\n  name: a\n"])
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: folder + "/gone.yaml", withDestinationPath: "nowhere.yaml")
        try manager.createSymbolicLink(atPath: folder + "/loop.yaml", withDestinationPath: "loop.yaml")
        #expect(mkfifo(folder + "/pipe.yaml", 0o600) == 0)
        let error = #expect(throws: ManifestErrors.self) { try ManifestLoader().load(path: folder) }
        let text = error?.description ?? ""
        #expect(text.contains("\(folder)/gone.yaml: cannot read: is a symbolic link to nowhere.yaml, which does not exist"), "\(text)")
        #expect(text.contains("\(folder)/loop.yaml: cannot read: is a symbolic link that loops"), "\(text)")
        #expect(text.contains("\(folder)/pipe.yaml: cannot read: is a FIFO (named pipe), not a file"), "\(text)")
        let fifo = #expect(throws: ManifestErrors.self) { try ManifestLoader().load(path: folder + "/pipe.yaml") }
        #expect(fifo?.description.contains("is a FIFO") == true, "never blocks reading it")
    }

    @Test("a YAML syntax error names file and line")
    func syntaxError() throws {
        let directory = try TestSupport.directory(["roles.yaml": "kind: role\nversion: v7\nmetadata:\n  name: x\n  labels: {a: b\nspec: {}\n"])
        let error = try #require(throws: ManifestErrors.self) { try ManifestLoader().load(path: directory) }
        guard case let .syntax(location, _) = error.errors.first else { Issue.record("expected a syntax error, got \(error)"); return }
        #expect(location.file.hasSuffix("roles.yaml"))
        #expect(location.line == 6)
        #expect(error.description.contains("roles.yaml:6:"))
    }

    @Test("a wrong type names the resource and the field path")
    func typeError() throws {
        let yaml = """
        kind: role
        version: v7
        metadata:
          name: broken
        spec:
          allow:
            request:
              roles: [editor, 42]
        """
        let error = try #require(throws: ManifestErrors.self) { try TestSupport.manifests(yaml) }
        #expect(error.description.contains("role \"broken\": spec.allow.request.roles[1]: expected a string, found a number `42`"))
        #expect(error.description.contains("manifests.yaml:8:"))
    }

    @Test("every problem of every file is reported together")
    func allProblemsTogether() throws {
        let directory = try TestSupport.directory([
            "a.yaml": "kind: role\nversion: v4\nmetadata: {name: old}\n",
            "b.yaml": "kind: role\nversion: v7\nmetadata: {name: bad-regex}\nspec:\n  allow:\n    request:\n      roles: ['^(db$']\n",
            "c.yaml": "kind: user\nversion: v2\nmetadata: {name: u}\nspec:\n  traits: {email: not-a-list}\n",
        ])
        let error = try #require(throws: ManifestErrors.self) { try ManifestLoader().load(path: directory) }
        #expect(error.errors.count == 3)
        #expect(error.description.contains("unsupported role version `v4` (supported: v5, v6, v7, v8)"))
        #expect(error.description.contains("role \"bad-regex\": spec.allow.request.roles[0]: `^(db$`: not a valid regular expression"))
        #expect(error.description.contains("user \"u\": spec.traits.email: expected a list"))
    }

    @Test("a role defined in two files is an error naming both places")
    func duplicateRole() throws {
        let directory = try TestSupport.directory([
            "a.yaml": "kind: role\nversion: v7\nmetadata: {name: editor}\n",
            "b.yaml": "---\nkind: role\nversion: v7\nmetadata: {name: editor}\n",
        ])
        let error = try #require(throws: ManifestErrors.self) { try ManifestLoader().load(path: directory) }
        #expect(error.description.contains("b.yaml:2:1: role \"editor\": metadata.name: the role is defined twice; first at"))
        #expect(error.description.contains("a.yaml:1:1"))
    }

    @Test("thresholds in a deny block and invalid durations are refused")
    func invalidRequestBlocks() throws {
        let deny = "kind: role\nversion: v7\nmetadata: {name: d}\nspec:\n  deny:\n    request:\n      thresholds: [{approve: 1}]\n"
        #expect(throws: ManifestErrors.self) { try TestSupport.manifests(deny) }
        let duration = "kind: role\nversion: v7\nmetadata: {name: d}\nspec:\n  allow:\n    request:\n      max_duration: 8 hours\n"
        let error = try #require(throws: ManifestErrors.self) { try TestSupport.manifests(duration) }
        #expect(error.description.contains("spec.allow.request.max_duration: `8 hours` is not a duration"))
    }

    @Test("an unknown template function or namespace in an annotation is refused")
    func invalidTemplates() throws {
        let yaml = "kind: role\nversion: v7\nmetadata: {name: t}\nspec:\n  allow:\n    request:\n      annotations:\n        k: ['{{secret.value}}']\n"
        let error = try #require(throws: ManifestErrors.self) { try TestSupport.manifests(yaml) }
        #expect(error.description.contains("unknown namespace `secret`"))
    }

    @Test("a document that expands through aliases beyond the node limit is refused without expanding it")
    func billionLaughs() throws {
        // Nine levels of ten aliases each: a billion strings once expanded, under a field the
        // reconciler does not even read.
        var yaml = "kind: user\nversion: v2\nmetadata:\n  name: lol\n  labels:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "    x\(level): &a\(level) [\(refs)]\n"
        }
        let error = try #require(throws: ManifestErrors.self) { try TestSupport.manifests(yaml) }
        guard case .tooManyNodes? = error.errors.first else { Issue.record("expected the node limit, got \(error)"); return }
        #expect(error.description.contains("manifests.yaml:1:1: document 1 expands to more than 200000 YAML nodes"))
    }

    @Test("a document over the size limit is refused, naming where it starts")
    func oversizedDocument() throws {
        let big = "kind: role\nversion: v7\nmetadata: {name: small}\n---\nkind: role\nversion: v7\nmetadata:\n  name: big\n  description: \"" + String(repeating: "x", count: 4096) + "\"\n"
        let directory = try TestSupport.directory(["big.yaml": big])
        let loader = ManifestLoader(limits: YAMLLimits(maxDocumentBytes: 1024))
        let error = try #require(throws: ManifestErrors.self) { try loader.load(path: directory) }
        #expect(error.description.contains("big.yaml:4:1: the YAML document starting here is larger than the limit of 1024 bytes"))
    }

    @Test("a missing path is a clear error")
    func missingPath() {
        let error = #expect(throws: ManifestErrors.self) { try ManifestLoader().load(path: "/nonexistent/manifests") }
        #expect(error?.description == "/nonexistent/manifests: cannot read: no such file or directory")
    }
}
