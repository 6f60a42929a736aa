/// One layer of settings (flags, environment or file) in which every field is optional; layers are
/// merged by `ConfigurationResolver`. Values are kept as text with the name of their source so
/// that errors can say where a bad value came from.
public struct ConfigurationInput: Sendable, Equatable {
    /// A raw value and where it was given (`--priority`, `OPSGENIE_PRIORITY`, `config.yaml:12:3`).
    public struct Value: Sendable, Equatable {
        public var text: String
        public var source: String

        public init(_ text: String, source: String) {
            self.text = text
            self.source = source
        }
    }

    public var manifests: Value?
    public var format: Value?
    public var teleportAddress: Value?
    public var teleportIdentityFile: Value?
    public var webProxyURL: Value?
    public var teleportRoute: Value?
    public var teleportCluster: Value?
    public var opsgenieURL: Value?
    public var opsgenieAPIKeyFile: Value?
    /// Only ever from the environment: a key in a flag would show in `ps`, in a file it belongs in
    /// the key file.
    public var opsgenieAPIKey: Value?
    public var defaultSchedules: [Value]?
    public var defaultTeams: [Value]?
    public var priority: Value?
    public var ownerTag: Value?
    public var autoApprove: Value?
    public var reviewer: Value?
    public var autoApproveRoles: [Value]?
    public var autoApproveMaxDuration: Value?
    public var autoApproveMaxRequestAge: Value?
    public var automatedReviewers: [Value]?
    public var autoApproveIdentity: Value?
    public var emailDomain: Value?
    public var opsgenieWriteRate: Value?
    public var opsgenieReadRate: Value?
    public var opsgenieScheduleRate: Value?
    public var opsgenieConcurrency: Value?
    public var maxChanges: Value?
    public var maxRounds: Value?
    public var concurrency: Value?
    public var timeout: Value?
    public var lockFile: Value?

    public init() {}
}
