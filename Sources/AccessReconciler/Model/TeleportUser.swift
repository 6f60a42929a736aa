/// A Teleport user as the cluster holds it now, as far as the job reads it: its name and traits.
/// `auto_approval.identity email_trait` takes the requester's address from these traits, which the
/// identity provider sets at each login, rather than from a manifest that may be out of date.
public struct TeleportUser: Sendable, Hashable {
    public var name: String
    public var traits: [String: [String]]

    public init(name: String, traits: [String: [String]] = [:]) {
        self.name = name
        self.traits = traits
    }
}

/// Teleport does not let the job read a user: the job's role has no `read` on `user`
/// (PERMISSION_DENIED), or the server has no users service (UNIMPLEMENTED). Asking again changes
/// nothing until an administrator changes the role or the cluster.
public struct UserUnreadable: Error, Sendable, CustomStringConvertible {
    public var user: String
    public var reason: String

    public init(user: String, reason: String) {
        self.user = user
        self.reason = reason
    }

    public var description: String { "Teleport does not let the job read the user \(user): \(reason)" }
}
