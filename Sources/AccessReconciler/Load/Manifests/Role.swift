/// A Teleport role manifest, reduced to what access requests depend on.
public struct Role: Sendable, Hashable {
    public var name: String
    /// `v5` … `v8`.
    public var version: String
    /// The `spec.allow.request` block, if any.
    public var allowRequest: RequestConditions?
    /// The `spec.deny.request` block, if any.
    public var denyRequest: RequestConditions?
    /// Where the manifest was read.
    public var source: SourceLocation

    public init(name: String, version: String = "v7", allowRequest: RequestConditions? = nil,
                denyRequest: RequestConditions? = nil, source: SourceLocation = SourceLocation(file: "<memory>", line: 1)) {
        self.name = name
        self.version = version
        self.allowRequest = allowRequest
        self.denyRequest = denyRequest
        self.source = source
    }

    /// Role versions whose `request` blocks this tool understands.
    public static let supportedVersions = ["v5", "v6", "v7", "v8"]
}
