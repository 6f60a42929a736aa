/// The annotations a request should carry, and where they came from.
public struct DesiredAnnotations: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// Computed from the requester's user manifest and the roles it holds.
        case manifests
        /// No usable manifest: the request's live system annotations are used as they are.
        case liveFallback(reason: String)
    }

    /// Sorted, de-duplicated values per annotation key.
    public var annotations: [String: [String]]
    public var source: Source
    /// Roles whose `allow.request` matched a requested role and so contributed annotations.
    public var contributingRoles: [String]
    /// Requested roles no held role allows (or a deny rule forbids), per the manifests.
    public var unrequestableRoles: [String]
    /// Template values skipped because the trait they read is missing.
    public var skippedTemplates: [String]

    public init(annotations: [String: [String]], source: Source, contributingRoles: [String] = [],
                unrequestableRoles: [String] = [], skippedTemplates: [String] = []) {
        self.annotations = annotations
        self.source = source
        self.contributingRoles = contributingRoles
        self.unrequestableRoles = unrequestableRoles
        self.skippedTemplates = skippedTemplates
    }
}
