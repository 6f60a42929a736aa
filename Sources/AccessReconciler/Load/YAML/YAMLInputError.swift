/// Why a YAML input (a manifest or the configuration file) could not be used.
/// Each case carries the place and the words a person needs to fix the file.
public enum YAMLInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The text is not valid YAML.
    case syntax(SourceLocation, problem: String)
    /// A value has the wrong type or an invalid content. `path` is the field path inside the resource.
    case invalidValue(SourceLocation, resource: String, path: String, problem: String)
    /// A file or document is larger than the configured limit.
    case tooLarge(SourceLocation, what: String, limit: Int)
    /// A document expands (through aliases) to more nodes than allowed.
    case tooManyNodes(SourceLocation, resource: String, limit: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .syntax(location, problem):
            return "\(location): YAML syntax error: \(problem)"
        case let .invalidValue(location, resource, path, problem):
            let subject = resource.isEmpty ? path : "\(resource): \(path)"
            return "\(location): \(subject): \(problem)"
        case let .tooLarge(location, what, limit):
            return "\(location): \(what) is larger than the limit of \(limit) bytes"
        case let .tooManyNodes(location, resource, limit):
            let subject = resource.isEmpty ? "document" : resource
            return "\(location): \(subject) expands to more than \(limit) YAML nodes (aliases are counted each time they are used); refusing to expand it"
        }
    }
}
