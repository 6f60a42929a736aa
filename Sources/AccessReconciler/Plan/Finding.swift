/// Something the planner noticed but does not act on: drift between the manifests and the cluster
/// or the alerts, or a reason it held back.
public struct Finding: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The request's live system annotations differ from what the manifests give.
        case annotationDrift
        /// An open alert's responders differ from the desired ones.
        case responderDrift
        /// A pending request has no schedules or teams to notify.
        case noRoute
        /// The manifests do not describe the requester; its live annotations were used.
        case liveAnnotationsUsed
        /// The manifests do not allow the requester to request some of the requested roles.
        case notRequestable
        /// An annotation template read a trait the user does not have; the value was skipped.
        case traitMissing
        /// Plugin data records an alert that is not open, so no second one is created.
        case recordedAlertNotOpen
        /// The requester is on call, but the auto-approval policy leaves the request to a person.
        case approvalWithheld
        /// An approval schedule's on-call list could not be read, so nothing was approved on it.
        case onCallUnknown
        /// No e-mail address could be derived for the requester to look for on call.
        case identityUnknown
        /// Under `auto_approval.identity email_trait`, the requester's e-mail trait came from its
        /// user manifest, because Teleport's user could not be read.
        case traitsFromManifests
        /// Teleport refused the job's approval of the request (recorded in plugin data); it is not
        /// asked again.
        case approvalRefused
        /// An alert with the job's tag whose alias is not a request alias.
        case unrecognisedAlert
        /// A lookup about one request failed, so nothing is created, closed or approved for it.
        case lookupFailed
        /// A schedule or team the alert would go to is unknown to the backend; no alert is created.
        case responderUnknown
    }

    public var kind: Kind
    public var requestID: String?
    public var alertID: String?
    public var message: String

    public init(kind: Kind, requestID: String? = nil, alertID: String? = nil, message: String) {
        self.kind = kind
        self.requestID = requestID
        self.alertID = alertID
        self.message = message
    }

    /// Whether the finding is drift (counts for `--detailed-exitcode`) rather than a notice.
    public var isDrift: Bool { kind == .annotationDrift || kind == .responderDrift }
}
