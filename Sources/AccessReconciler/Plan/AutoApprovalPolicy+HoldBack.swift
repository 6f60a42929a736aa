import Foundation

/// The rules that keep an on-call requester's request for a person. The planner applies them to
/// what it observed, and the applier again to the request as it reads it just before the review,
/// so that a review or a change that came in between still counts.
extension AutoApprovalPolicy {
    /// How every review reason of the job begins, whichever user the job ran as: an approval with
    /// it is the job's, even by an identity the job no longer has.
    public static let reviewReasonPrefix = "Access request automatically approved by "

    /// The users whose approvals count as automated for a job reviewing as `reviewer`: the job
    /// itself, Teleport's approval bot unless dropped, and the configured ones.
    public func automatedAuthors(reviewer: String) -> Set<String> {
        Set([reviewer] + (countsApprovalBot ? [Self.teleportApprovalBot] : []) + automatedReviewers)
    }

    /// Why the policy keeps `request` for a person at `now`, or nil when the job may approve it.
    public func withheldReason(_ request: AccessRequest, reviewer: String, now: Date) -> String? {
        let automated = automatedAuthors(reviewer: reviewer)
        if let prior = request.reviews.first(where: { review in
            review.proposedState == .approved && (automated.contains(review.author) || review.reason.hasPrefix(Self.reviewReasonPrefix))
        }) {
            return "it already carries an automated approval (by \(prior.author)); the job never adds a second one"
        }
        if let denial = request.reviews.first(where: { $0.proposedState == .denied }) {
            return "\(denial.author) denied it; a denial is never outvoted by a machine"
        }
        if request.reviews.contains(where: { $0.author == reviewer }) {
            return "\(reviewer) has reviewed it already"
        }
        if !roles.isEmpty {
            let outside = request.roles.filter { role in !roles.contains { $0.matches(role) } }
            if !outside.isEmpty {
                return "auto-approval is limited to roles \(roles.map(\.source).joined(separator: ", ")) and \(outside.joined(separator: ", ")) is not among them"
            }
        }
        if let limit = maxRequestAge, now.duration(since: request.created) > limit {
            return "it was created \(GoDuration.format(now.duration(since: request.created))) ago and auto-approval is limited to requests younger than \(GoDuration.format(limit))"
        }
        if let limit = maxDuration {
            guard let end = request.maxDuration ?? request.accessExpires else {
                return "the requested duration is unknown and auto-approval is limited to \(GoDuration.format(limit))"
            }
            let requested = end.duration(since: request.created)
            if requested > limit {
                return "it asks for \(GoDuration.format(requested)) and auto-approval is limited to \(GoDuration.format(limit))"
            }
        }
        return nil
    }
}
