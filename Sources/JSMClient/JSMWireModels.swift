import Foundation

/// The JSM Operations and Jira platform bodies the client reads and writes (the project's
/// description: `fixtures/contracts/jsm-ops-v1.json`).
struct JSMCreateAlert: Encodable {
    struct Responder: Encodable { var id: String; var type: String }
    var message: String
    var alias: String
    var description: String
    var responders: [Responder]
    var tags: [String]
    var extraProperties: [String: String]
    var priority: String
    var source: String
}

struct JSMNoteRequest: Encodable { var note: String }

/// `SuccessResponse`: an asynchronous request was accepted. `took` is documented as an integer and
/// shown as a fraction: it is not read.
struct JSMAccepted: Decodable { var requestId: String? }

/// `GetRequestStatusResponse`.
struct JSMRequestStatus: Decodable {
    var isSuccess: Bool?
    var status: String?
    var alertId: String?
    var processedAt: String?

    /// A status that shows no outcome yet: not a success, and no processing time. The pending
    /// answer is undocumented (Opsgenie answers 404 until then); this reading keeps waiting instead
    /// of taking a request still in the queue for a failed one.
    var isPending: Bool { isSuccess != true && (processedAt ?? "").isEmpty }
}

/// `AlertResponse`, the fields the job reads.
struct JSMAlert: Decodable {
    var id: String
    var alias: String?
    var message: String?
    var status: String?
    var tags: [String]?
    var extraProperties: [String: String]?
    var responders: [Responder]?
    var createdAt: String?
    var count: Int?

    struct Responder: Decodable { var id: String?; var type: String? }
}

/// `GetAlertNotesResponse`.
struct JSMNotePage: Decodable {
    var values: [Note]?
    var links: JSMAlertPage.Links?
    struct Note: Decodable { var note: String? }
}

/// `ListAlertResponse`.
struct JSMAlertPage: Decodable {
    var values: [JSMAlert]?
    var count: Int?
    var links: Links?
    struct Links: Decodable { var next: String? }
}

/// `ListSchedulesResponse`, the fields the job reads.
struct JSMSchedulePage: Decodable {
    var values: [Schedule]?
    var links: JSMAlertPage.Links?
    struct Schedule: Decodable { var id: String; var name: String }
}

/// `OnCallResponse` with `flat=true`.
struct JSMOnCallUsers: Decodable { var onCallUsers: [String]? }

/// `ListPlatformTeamResponse`.
struct JSMTeams: Decodable {
    var platformTeams: [Team]?
    struct Team: Decodable { var teamId: String; var teamName: String }
}

/// The Jira platform's `PageBeanUser` (`GET /rest/api/3/user/bulk`).
struct JiraUserPage: Decodable {
    var values: [User]?
    var isLast: Bool?
    var total: Int?
    struct User: Decodable { var accountId: String; var emailAddress: String?; var active: Bool? }
}

/// `GET /_edge/tenant_info`.
struct JSMTenantInfo: Decodable { var cloudId: String }

/// The error bodies: `{errors:[{title, code}]}`, `{code, message}` or `{message}`.
struct JSMErrorBody: Decodable {
    var errors: [Entry]?
    var message: String?
    struct Entry: Decodable { var title: String?; var code: String? }

    var text: String? {
        let titles = (errors ?? []).compactMap(\.title).filter { !$0.isEmpty }
        return titles.isEmpty ? message : titles.joined(separator: "; ")
    }
}
