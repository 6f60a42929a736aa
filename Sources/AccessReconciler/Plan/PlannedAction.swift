/// One write the plan wants made. Each carries a one-line reason for the report.
public enum PlannedAction: Sendable, Hashable {
    case createAlert(CreateAlert)
    /// A write to plugin data only: record the id of an open alert the request has.
    case recordAlert(RecordAlert)
    case approveRequest(ApproveRequest)
    case addNote(AddNote)
    case closeAlert(CloseAlert)
    /// A write to plugin data only: the request is resolved and no alert of it is open.
    case recordResolution(RecordResolution)

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case createAlert, recordAlert, approveRequest, addNote, closeAlert, recordResolution
    }

    public var kind: Kind {
        switch self {
        case .createAlert: return .createAlert
        case .recordAlert: return .recordAlert
        case .approveRequest: return .approveRequest
        case .addNote: return .addNote
        case .closeAlert: return .closeAlert
        case .recordResolution: return .recordResolution
        }
    }

    public var requestID: String {
        switch self {
        case let .createAlert(action): return action.requestID
        case let .recordAlert(action): return action.requestID
        case let .approveRequest(action): return action.requestID
        case let .addNote(action): return action.requestID
        case let .closeAlert(action): return action.requestID
        case let .recordResolution(action): return action.requestID
        }
    }

    /// Why the planner wants this write.
    public var reason: String {
        switch self {
        case let .createAlert(action): return action.reason
        case let .recordAlert(action): return action.reason
        case let .approveRequest(action): return action.reason
        case let .addNote(action): return action.reason
        case let .closeAlert(action): return action.reason
        case let .recordResolution(action): return action.reason
        }
    }

    /// The alert the action touches, when it exists already.
    public var alertID: String? {
        switch self {
        case .createAlert, .approveRequest, .recordResolution: return nil
        case let .recordAlert(action): return action.alertID
        case let .addNote(action): return action.alertID
        case let .closeAlert(action): return action.alertID
        }
    }

    /// Order within one request: create (or record), approve, notes in review order, close, record.
    var rank: Int {
        switch self {
        case .createAlert, .recordAlert: return 0
        case .approveRequest: return 1
        case let .addNote(action): return 2 + action.reviewsCountAfter
        case .closeAlert, .recordResolution: return Int.max
        }
    }
}

/// Create the alert for a pending request, then record it in plugin data.
public struct CreateAlert: Sendable, Hashable {
    public var requestID: String
    public var draft: AlertDraft
    /// What plugin data records besides the new alert's id: the request's user, roles, creation
    /// time and reason, as Teleport's plugin records them.
    public var record: [String: String]
    public var reason: String
}

/// Record an open alert's id in the request's plugin data (adopting it).
public struct RecordAlert: Sendable, Hashable {
    public var requestID: String
    public var alertID: String
    /// The plugin-data keys to set; only keys that are empty now.
    public var set: [String: String]
    public var reason: String
}

/// Record in plugin data that a resolved request needs nothing more.
public struct RecordResolution: Sendable, Hashable {
    public var requestID: String
    public var set: [String: String]
    public var reason: String
}

/// Submit an approving review because the requester is on call.
public struct ApproveRequest: Sendable, Hashable {
    public var requestID: String
    public var user: String
    /// The schedules in which the requester was found on call.
    public var schedules: [String]
    /// The review's reason, recorded in Teleport's audit log.
    public var reviewReason: String
    public var reason: String
}

/// Post a review as a note on the request's alert.
public struct AddNote: Sendable, Hashable {
    public var requestID: String
    public var alertID: String
    public var note: String
    /// The `reviews_count` plugin-data value once this note is posted.
    public var reviewsCountAfter: Int
    public var reason: String
}

/// Close the request's alert with the resolution note.
public struct CloseAlert: Sendable, Hashable {
    public var requestID: String
    public var alertID: String
    public var resolution: Resolution
    public var resolveReason: String
    public var note: String
    public var reason: String
    /// Plugin data written once the alert is closed: the resolution (unless already recorded) and
    /// the job's mark that the alert was seen closed.
    public var record: [String: String]
}
