/// A Teleport role manifest, reduced to what access requests depend on.
public struct Role: Sendable, Hashable {
    public var name: String
    /// `v5` … `v8`.
    public var version: String
    /// The `spec.allow.request` block, if any.
    public var allowRequest: RequestConditions?
    /// The `spec.deny.request` block, if any.
    public var denyRequest: RequestConditions?
    /// The `spec.allow.review_requests` block, if any.
    public var allowReview: ReviewConditions?
    /// The `spec.deny.review_requests` block, if any.
    public var denyReview: ReviewConditions?
    /// `spec.allow.rules`.
    public var allowRules: [ResourceRule]
    /// `spec.deny.rules`.
    public var denyRules: [ResourceRule]
    /// Where the manifest was read.
    public var source: SourceLocation

    public init(name: String, version: String = "v7", allowRequest: RequestConditions? = nil,
                denyRequest: RequestConditions? = nil, allowReview: ReviewConditions? = nil, denyReview: ReviewConditions? = nil,
                allowRules: [ResourceRule] = [], denyRules: [ResourceRule] = [],
                source: SourceLocation = SourceLocation(file: "<memory>", line: 1)) {
        self.name = name
        self.version = version
        self.allowRequest = allowRequest
        self.denyRequest = denyRequest
        self.allowReview = allowReview
        self.denyReview = denyReview
        self.allowRules = allowRules
        self.denyRules = denyRules
        self.source = source
    }

    /// Role versions whose `request` blocks this tool understands.
    public static let supportedVersions = ["v5", "v6", "v7", "v8"]
}
