import AccessReconciler

/// A mistake seeded into the sandbox's fakes, as operators make them, so that `check` can be seen
/// (and tested) to find each one: `reconciler-sandbox --serve --misconfigure NAME`.
public enum SandboxMisconfiguration: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A schedule the roles notify does not exist in the alert service.
    case missingSchedule = "missing-schedule"
    /// The job's role no longer lists a role with an auto-approval schedule in `review_requests`.
    case unreviewableRole = "unreviewable-role"
    /// Someone on call hides their e-mail address (JSM only).
    case hiddenEmail = "hidden-email"
    /// The job's role may not list access requests.
    case noRequestListing = "no-request-listing"

    public var description: String { rawValue }

    /// Seeds the mistake; returns what was changed, in words.
    public func apply(to sandbox: SandboxEnvironment, manifests: ManifestSet) async throws -> String {
        let rows = RoutingTable(manifests: manifests, policy: PlanningPolicy()).rows
        switch self {
        case .missingSchedule:
            let approval = Set(rows.flatMap(\.approvalSchedules))
            guard let schedule = rows.flatMap(\.notifySchedules).filter({ !approval.contains($0) }).sorted().first else {
                throw SandboxError("the manifests notify no schedule that is not also an auto-approval schedule")
            }
            await sandbox.opsgenie.removeSchedule(name: schedule)
            await sandbox.jsm.removeSchedule(name: schedule)
            return "schedule \(schedule) removed from the alert service"
        case .unreviewableRole:
            guard var role = manifests.roles[SandboxEnvironment.jobUser], let review = role.allowReview else {
                throw SandboxError("the manifests have no role \(SandboxEnvironment.jobUser) with review_requests")
            }
            guard let target = rows.filter({ !$0.approvalSchedules.isEmpty }).map(\.role).sorted().first(where: { name in
                review.roles.contains { $0.matches(name) }
            }) else { throw SandboxError("the job's role reviews no role with an auto-approval schedule") }
            role.allowReview?.roles.removeAll { $0.matches(target) }
            await sandbox.teleport.state.seedRoles([role])
            // The fake refuses reviews as the changed role would.
            let permissions = JobRolePermissions(defined: [role], undefined: [])
            await sandbox.teleport.state.setReviewableRoles(Set(rows.map(\.role).filter { permissions.review($0) == .passed }),
                                                            for: SandboxEnvironment.jobUser)
            return "role \(target) removed from review_requests of the job's role \(role.name)"
        case .hiddenEmail:
            guard sandbox.backend == .jsm else { throw SandboxError("hidden e-mail addresses are JSM's: use --alert-backend jsm") }
            let schedules = Set(rows.flatMap(\.approvalSchedules)).sorted()
            guard let (schedule, email) = schedules.lazy.compactMap({ name in sandbox.scenario.onCall[name]?.first.map { (name, $0) } }).first else {
                throw SandboxError("nobody is on call in an auto-approval schedule")
            }
            await sandbox.jsm.account(email: email, hidden: true)
            return "\(email), on call in \(schedule), hides their e-mail address"
        case .noRequestListing:
            await sandbox.teleport.state.deny("ListAccessRequests", resource: "access_request")
            await sandbox.teleport.state.deny("GetAccessRequestsV2", resource: "access_request")
            return "the job's role may not list access requests"
        }
    }
}

/// A sandbox option that cannot be carried out with these fixtures.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
