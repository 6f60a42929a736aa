/// What the observation learned of a requester's Teleport user, read only for
/// `auto_approval.identity email_trait`. The planner takes the e-mail trait from `.found`; with
/// `.unreadable` it falls back to the user manifest and says so; with `.notFound` or `.failed` it
/// approves nothing for that user in this run.
public enum LiveUser: Sendable, Hashable {
    /// Teleport's user, with its traits as they are now.
    case found(TeleportUser)
    /// Teleport has no user of that name.
    case notFound
    /// The job may not read users (why, from Teleport's answer); a manifest is all there is.
    case unreadable(reason: String)
    /// The read failed this time (why); the next run reads again.
    case failed(reason: String)
}
