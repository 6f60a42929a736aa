/// One write the plan wants made. Each carries a one-line reason for the report.
public enum PlannedAction: Sendable, Hashable {
    case createAlert(CreateAlert)
    case approveRequest(ApproveRequest)
    case addNote(AddNote)
    case closeAlert(CloseAlert)

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case createAlert, approveRequest, addNote, closeAlert
    }

    public var kind: Kind {
        switch self {
        case .createAlert: return .createAlert
        case .approveRequest: return .approveRequest
        case .addNote: return .addNote
        case .closeAlert: return .closeAlert
        }
    }

    public var requestID: String {
        switch self {
        case let .createAlert(action): return action.requestID
        case let .approveRequest(action): return action.requestID
        case let .addNote(action): return action.requestID
        case let .closeAlert(action): return action.requestID
        }
    }

    /// Why the planner wants this write.
    public var reason: String {
        switch self {
        case let .createAlert(action): return action.reason
        case let .approveRequest(action): return action.reason
        case let .addNote(action): return action.reason
        case let .closeAlert(action): return action.reason
        }
    }

    /// The alert the action touches, when it exists already.
    public var alertID: String? {
        switch self {
        case .createAlert, .approveRequest: return nil
        case let .addNote(action): return action.alertID
        case let .closeAlert(action): return action.alertID
        }
    }

    /// Order within one request: create, approve, notes in review order, close.
    var rank: Int {
        switch self {
        case .createAlert: return 0
        case .approveRequest: return 1
        case let .addNote(action): return 2 + action.reviewsCountAfter
        case .closeAlert: return Int.max
        }
    }
}

/// Create the alert for a pending request.
public struct CreateAlert: Sendable, Hashable {
    public var requestID: String
    public var draft: AlertDraft
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
}
