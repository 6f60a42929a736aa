import Foundation

// Bodies of the Opsgenie REST API v2 as the official OpenAPI description defines them
// (`CreateAlertPayload`, `AddNoteToAlertPayload`, `CloseAlertPayload`, `ListAlertsResponse`,
// `GetAlertResponse`, `GetRequestStatusResponse`, `GetOnCallResponse`, `ErrorResponse`).

/// `Recipient` (a responder of a new alert): `type` and `id` or `name`.
struct RecipientPayload: Codable, Sendable, Hashable {
    var type: String
    var id: String?
    var name: String?
}

/// `CreateAlertPayload`.
struct CreateAlertPayload: Encodable, Sendable {
    var message: String
    var alias: String
    var description: String
    var responders: [RecipientPayload]
    var tags: [String]
    var details: [String: String]
    var priority: String
    var source: String
    var user: String
}

/// `AddNoteToAlertPayload` and `CloseAlertPayload` (`AlertActionPayload`).
struct AlertActionPayload: Encodable, Sendable {
    var note: String?
    var user: String
    var source: String
}

/// `ErrorResponse`, with the field errors of a 422.
struct ErrorEnvelope: Decodable {
    var message: String?
    var requestId: String?
    var errors: [String: String]?
}

/// `SuccessResponse` of an asynchronous write (202).
struct AcceptedEnvelope: Decodable {
    var result: String?
    var requestId: String
}

/// `GetRequestStatusResponse`.
struct RequestStatusEnvelope: Decodable {
    struct Status: Decodable {
        var success: Bool?
        var isSuccess: Bool?
        var status: String?
        var alertId: String?
        var alias: String?
        var action: String?
    }

    var data: Status
    var requestId: String?
}

/// `BaseAlert` (listed) and `Alert` (read one): `details` and `description` only in the latter.
struct AlertItem: Decodable {
    struct ResponderItem: Decodable {
        var type: String
        var id: String?
        var name: String?
    }

    var id: String
    var alias: String?
    var message: String?
    var status: String?
    var tags: [String]?
    var count: Int?
    var createdAt: String?
    var responders: [ResponderItem]?
    var details: [String: String]?
}

/// `ListAlertsResponse`.
struct ListAlertsEnvelope: Decodable {
    struct Paging: Decodable {
        var next: String?
    }

    var data: [AlertItem]
    var paging: Paging?
    var requestId: String?
}

/// `GetAlertResponse`.
struct AlertEnvelope: Decodable {
    var data: AlertItem
}

/// `GetOnCallResponse` with `flat=true`.
struct OnCallEnvelope: Decodable {
    struct OnCall: Decodable {
        var onCallRecipients: [String]?
    }

    var data: OnCall
}
