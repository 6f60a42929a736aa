/// Who an alert is routed to (an alert's `responders`).
public struct Responder: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, Comparable {
        case schedule, team, user, escalation
        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var kind: Kind
    /// Set when the configured value is a UUID.
    public var id: String?
    /// Set otherwise.
    public var name: String?

    public init(kind: Kind, id: String? = nil, name: String? = nil) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    /// A responder from an annotation value: a UUID is sent as `id`, anything else as `name`,
    /// as Teleport's plugin does.
    public init(kind: Kind, value: String) {
        self.kind = kind
        if Responder.isUUID(value) {
            self.id = value.lowercased()
        } else {
            self.name = value
        }
    }

    /// The id or name, whichever identifies this responder.
    public var identifier: String { id ?? name ?? "" }

    public var description: String { "\(kind.rawValue) \(identifier)" }

    public static func < (lhs: Responder, rhs: Responder) -> Bool {
        (lhs.kind, lhs.identifier) < (rhs.kind, rhs.identifier)
    }

    /// Whether `value` has the textual form of a UUID (8-4-4-4-12 hexadecimal digits).
    public static func isUUID(_ value: String) -> Bool {
        let groups = value.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
