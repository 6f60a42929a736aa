/// Bounds on what one YAML input may cost, so a hostile or broken file cannot exhaust memory or time
/// (for example a "billion laughs" document whose aliases expand exponentially).
public struct YAMLLimits: Sendable, Hashable {
    /// Largest file read at all.
    public var maxFileBytes: Int
    /// Largest single document of a multi-document stream. Teleport keeps resources far smaller.
    public var maxDocumentBytes: Int
    /// Most nodes the decoder may visit in one document, counting every alias expansion again.
    public var maxNodesPerDocument: Int

    public init(maxFileBytes: Int = 64 << 20, maxDocumentBytes: Int = 2 << 20, maxNodesPerDocument: Int = 200_000) {
        self.maxFileBytes = maxFileBytes
        self.maxDocumentBytes = maxDocumentBytes
        self.maxNodesPerDocument = maxNodesPerDocument
    }

    public static let `default` = YAMLLimits()
}
