import Foundation

/// Reads the YAML configuration file into a `ConfigurationInput` layer. Unknown keys are errors
/// (a typo must not silently fall back to a default), and relative paths are taken relative to
/// the file's directory.
public enum ConfigurationFile {
    public static func read(path: String) throws -> ConfigurationInput {
        let documents = try YAMLDocumentReader.read(file: path)
        guard documents.count <= 1 else {
            throw ConfigurationError.invalid(source: path, problem: "expected one YAML document, found \(documents.count)")
        }
        guard let root = documents.first?.root else { return ConfigurationInput() }
        documents[0].describe(as: "")
        let directory = (path as NSString).deletingLastPathComponent
        return try decode(root, relativeTo: directory)
    }

    static func decode(_ root: YAMLValue, relativeTo directory: String) throws -> ConfigurationInput {
        try root.requireOnlyKeys(["manifests", "format", "teleport", "opsgenie", "auto_approval", "max_changes", "max_rounds", "concurrency",
                                  "timeout", "lock_file"])
        var input = ConfigurationInput()
        input.maxChanges = try number(root.field("max_changes"))
        input.maxRounds = try number(root.field("max_rounds"))
        input.concurrency = try number(root.field("concurrency"))
        input.timeout = try scalar(root.field("timeout"))
        input.lockFile = try path(root.field("lock_file"), directory)
        input.manifests = try path(root.field("manifests"), directory)
        input.format = try scalar(root.field("format"))
        if let teleport = try root.field("teleport") {
            try teleport.requireOnlyKeys(["addr", "identity_file", "web_proxy_url", "route", "cluster"])
            input.teleportRoute = try scalar(teleport.field("route"))
            input.teleportCluster = try scalar(teleport.field("cluster"))
            input.teleportAddress = try scalar(teleport.field("addr"))
            input.teleportIdentityFile = try path(teleport.field("identity_file"), directory)
            input.webProxyURL = try scalar(teleport.field("web_proxy_url"))
        }
        if let opsgenie = try root.field("opsgenie") {
            if let key = try opsgenie.field("api_key") {
                throw key.invalid("an API key does not belong in the configuration file; put it in the file named by api_key_file or in OPSGENIE_API_KEY")
            }
            try opsgenie.requireOnlyKeys(["url", "api_key_file", "priority", "default_schedules", "default_teams", "owner_tag",
                                          "rate_limits", "concurrency"])
            if let limits = try opsgenie.field("rate_limits") {
                try limits.requireOnlyKeys(["alert_write", "alert_read", "schedule"])
                input.opsgenieWriteRate = try decimal(limits.field("alert_write"))
                input.opsgenieReadRate = try decimal(limits.field("alert_read"))
                input.opsgenieScheduleRate = try decimal(limits.field("schedule"))
            }
            input.opsgenieConcurrency = try number(opsgenie.field("concurrency"))
            input.opsgenieURL = try scalar(opsgenie.field("url"))
            input.opsgenieAPIKeyFile = try path(opsgenie.field("api_key_file"), directory)
            input.priority = try scalar(opsgenie.field("priority"))
            input.defaultSchedules = try list(opsgenie.field("default_schedules"))
            input.defaultTeams = try list(opsgenie.field("default_teams"))
            input.ownerTag = try scalar(opsgenie.field("owner_tag"))
        }
        if let approval = try root.field("auto_approval") {
            try approval.requireOnlyKeys(["enabled", "reviewer", "automated_reviewers", "roles", "max_duration", "max_request_age",
                                          "identity", "email_domain"])
            if let enabled = try approval.field("enabled") {
                input.autoApprove = .init(try enabled.bool() ? "true" : "false", source: enabled.location.description)
            }
            input.reviewer = try scalar(approval.field("reviewer"))
            input.autoApproveRoles = try list(approval.field("roles"))
            input.autoApproveMaxDuration = try scalar(approval.field("max_duration"))
            input.emailDomain = try scalar(approval.field("email_domain"))
            input.automatedReviewers = try list(approval.field("automated_reviewers"))
            input.autoApproveMaxRequestAge = try scalar(approval.field("max_request_age"))
            input.autoApproveIdentity = try scalar(approval.field("identity"))
        }
        return input
    }

    private static func scalar(_ value: YAMLValue?) throws -> ConfigurationInput.Value? {
        guard let value else { return nil }
        return .init(try value.string(), source: "\(value.location) (\(value.path))")
    }

    private static func decimal(_ value: YAMLValue?) throws -> ConfigurationInput.Value? {
        guard let value else { return nil }
        return .init(String(try value.number()), source: "\(value.location) (\(value.path))")
    }

    private static func number(_ value: YAMLValue?) throws -> ConfigurationInput.Value? {
        guard let value else { return nil }
        return .init(String(try value.int()), source: "\(value.location) (\(value.path))")
    }

    private static func path(_ value: YAMLValue?, _ directory: String) throws -> ConfigurationInput.Value? {
        guard var result = try scalar(value) else { return nil }
        if !result.text.hasPrefix("/") && !directory.isEmpty {
            result.text = (directory as NSString).appendingPathComponent(result.text)
        }
        return result
    }

    private static func list(_ value: YAMLValue?) throws -> [ConfigurationInput.Value]? {
        guard let value else { return nil }
        return try value.sequence().map { .init(try $0.string(), source: "\($0.location) (\($0.path))") }
    }
}
