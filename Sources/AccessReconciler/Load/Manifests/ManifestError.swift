/// Every problem found in a set of manifests, reported together so that one run shows them all.
public struct ManifestErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [YAMLInputError]

    public var description: String {
        let lines = errors.map(\.description)
        if lines.count == 1 { return lines[0] }
        return "\(lines.count) problems in the manifests:\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}
