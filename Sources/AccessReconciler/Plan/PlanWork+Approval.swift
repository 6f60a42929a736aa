import Foundation

/// The auto-approval rules of a planning pass.
extension PlanWork {
    /// Approves when the requester is on call, on no weaker grounds than Teleport's plugin: only on
    /// schedules that both the manifests and the request's own `teleport.dev/schedules` name, with
    /// the configured identity, and never as a second automated approval.
    mutating func planApproval(_ request: AccessRequest, desired: DesiredAnnotations, routing: Routing) {
        let approval = policy.autoApproval
        guard approval.enabled, !routing.approvalSchedules.isEmpty else { return }
        guard let reviewer = approval.reviewer, !reviewer.isEmpty else { return }
        guard request.user != reviewer else { return }
        if let refused = observation.pluginData[request.id]?.approvalRefused {
            findings.append(Finding(kind: .approvalRefused, requestID: request.id,
                                    message: "Teleport refused the job's approval before (\(refused)); not asked again, left to a reviewer"))
            return
        }
        let requester: RequesterAddress
        if let cached = addressCache[request.user] {
            requester = cached
        } else {
            requester = requesterAddress(request.user, approval: approval)
            addressCache[request.user] = requester
        }
        if let manifestOnly = requester.manifestOnly {
            findings.append(Finding(kind: .traitsFromManifests, requestID: request.id,
                                    message: "the email trait of \(request.user) is taken from the user manifest only: \(manifestOnly)"))
        }
        let address = requester.address
        guard case let .success(address) = address else {
            if case let .failure(unknown) = address {
                findings.append(Finding(kind: .identityUnknown, requestID: request.id,
                                        message: "\(unknown.reason): cannot look for the requester on call"))
            }
            return
        }
        var onCallIn: [String] = []
        var unknown: [String] = []
        for schedule in routing.approvalSchedules {
            switch observation.onCall.schedules[schedule] {
            case let .known(recipients)?:
                if recipients.contains(address) { onCallIn.append(schedule) }
            case let .partial(recipients, unnamed, reason)?:
                // What the named part proves holds; the unnamed part can only leave it unknown.
                if recipients.contains(address) {
                    onCallIn.append(schedule)
                } else {
                    unknown.append("\(schedule) (on call too: \(unnamed.joined(separator: ", ")), whose address is unknown: \(reason))")
                }
            case let .unknown(reason)?:
                unknown.append("\(schedule) (\(reason))")
            case nil:
                unknown.append("\(schedule) (not looked up)")
            }
        }
        guard !onCallIn.isEmpty else {
            if !unknown.isEmpty {
                findings.append(Finding(kind: .onCallUnknown, requestID: request.id,
                                        message: "who is on call is unknown for \(unknown.joined(separator: ", ")); not approving"))
            }
            return
        }
        // The request's own annotation decides too, as it alone does for Teleport's plugin: with
        // manifests [A, B] and a live [A], only A approves.
        let approvable: [String]
        if desired.source == .manifests {
            let live = Set(request.systemAnnotations[RequestAnnotation.schedules] ?? [])
            approvable = onCallIn.filter(live.contains)
        } else {
            approvable = onCallIn
        }
        let reason = approvable.isEmpty
            ? "the request's own \(RequestAnnotation.schedules) annotation does not name \(onCallIn.joined(separator: ", "))"
            : unroutedRoles(request, desired: desired, approvable: Set(approvable)) ?? approval.withheldReason(request, reviewer: reviewer, now: now)
        if let reason {
            findings.append(Finding(kind: .approvalWithheld, requestID: request.id,
                                    message: "\(address) is on call in \(onCallIn.joined(separator: ", ")), but \(reason); left to a reviewer"))
            return
        }
        let schedules = approvable.joined(separator: ", ")
        actions.append(.approveRequest(ApproveRequest(
            requestID: request.id, user: request.user, schedules: approvable,
            reviewReason: AutoApprovalPolicy.reviewReasonPrefix + "\(reviewer): \(request.user) is on call in schedule(s) \(schedules).",
            reason: "\(address) is on call in \(schedules)"
                + (requester.manifestOnly.map { "; the email trait is from the user manifest only: \($0)" } ?? ""))))
    }

    /// The requester's on-call address, and why its traits came from the user manifest alone when
    /// they did.
    struct RequesterAddress {
        var address: Result<String, OnCallIdentity.Unknown>
        var manifestOnly: String?
    }

    /// Derives the requester's address. Under `email_trait` the traits are Teleport's live user's
    /// where the job read them; the manifest's only where Teleport does not let the job read users,
    /// and then a finding says so. A user Teleport does not have, a read that failed this time or a
    /// user not read at all approves nothing: the manifest may be what changed.
    func requesterAddress(_ user: String, approval: AutoApprovalPolicy) -> RequesterAddress {
        func derive(_ traits: [String: [String]]?, _ source: String? = nil) -> Result<String, OnCallIdentity.Unknown> {
            OnCallIdentity.address(for: user, identity: approval.identity, traits: traits, traitsSource: source, emailDomain: approval.emailDomain)
        }
        let manifest = desired.manifests.users[user]?.traits
        guard approval.identity == .emailTrait else { return RequesterAddress(address: derive(manifest)) }
        switch observation.users[user] {
        case let .found(live)?:
            return RequesterAddress(address: derive(live.traits, "Teleport's user \(user)"))
        case .notFound?:
            return RequesterAddress(address: .failure(OnCallIdentity.Unknown(reason: "Teleport has no user \(user)")))
        case let .failed(reason)?:
            return RequesterAddress(address: .failure(OnCallIdentity.Unknown(reason: "reading Teleport's user \(user) failed (\(reason))")))
        case let .unreadable(reason)?:
            return RequesterAddress(address: derive(manifest),
                                    manifestOnly: "Teleport does not let the job read users (\(reason)); grant its role `read` on `user`")
        case nil:
            return RequesterAddress(address: .failure(OnCallIdentity.Unknown(reason: "Teleport's user \(user) was not read")))
        }
    }

    /// Why not every requested role may be approved on the schedules `approvable`, or nil when each
    /// is: a role is approved only through a schedule that role itself routes to, so that one
    /// role's on-call schedule never approves the others. The manifests tell which role routes
    /// where; the live annotations are one list for the whole request, so they can vouch for a
    /// request of one role only.
    mutating func unroutedRoles(_ request: AccessRequest, desired: DesiredAnnotations, approvable: Set<String>) -> String? {
        let roles = Array(Set(request.roles)).sorted()
        guard !roles.isEmpty else { return "the request names no role" }
        guard roles.count > 1 else { return nil }
        guard desired.source == .manifests else {
            return "it is for \(roles.count) roles (\(roles.joined(separator: ", "))) and, without the requester's manifests, the job cannot tell which role routes to which schedule"
        }
        var unrouted: [String] = []
        for role in roles {
            var single = request
            single.roles = [role]
            let routed = Set(desiredState(for: single).desired.annotations[RequestAnnotation.schedules] ?? [])
            if routed.isDisjoint(with: approvable) {
                unrouted.append(routed.isEmpty ? "\(role) (routed to no schedule)" : "\(role) (routed to \(routed.sorted().joined(separator: ", ")))")
            }
        }
        guard !unrouted.isEmpty else { return nil }
        return "every requested role must be routed to a schedule the requester is on call in, and \(unrouted.joined(separator: ", ")) \(unrouted.count == 1 ? "is" : "are") not"
    }
}
