/// A Teleport user manifest: the roles the user holds and the traits templates expand from.
public struct User: Sendable, Hashable {
    public var name: String
    public var roles: [String]
    public var traits: [String: [String]]
    public var source: SourceLocation

    public init(name: String, roles: [String], traits: [String: [String]] = [:],
                source: SourceLocation = SourceLocation(file: "<memory>", line: 1)) {
        self.name = name
        self.roles = roles
        self.traits = traits
        self.source = source
    }
}
