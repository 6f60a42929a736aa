import AccessReconciler
import Foundation
import HTTPSupport

/// `check`'s read-only calls to Opsgenie: the job's own listing query for one alert, and each
/// schedule and team read by name (`GET /v2/schedules/{identifier}`, `GET /v2/teams/{identifier}`
/// with `identifierType` `name` or `id`, both in the API description). Nothing here writes.
extension OpsgenieAlertBackend: AlertServicePreflight {
    public var serviceName: String { AlertBackendID.opsgenie.serviceName }

    public func probeListing(taggedWith tags: [String]) async -> ProbeOutcome {
        let operation = "list open alerts tagged \(tags.joined(separator: ", ")) (one alert)"
        do {
            let response = try await transport.send(Self.listingRequest(query: Self.openAlertsQuery(taggedWith: tags), limit: 1, operation: operation))
            _ = try decode(ListAlertsEnvelope.self, response, operation: operation)
            return .accepted
        } catch let error as APIError {
            return ProbeOutcome(httpStatus: error.httpStatus, error.description)
        } catch {
            return .failed("\(error)")
        }
    }

    /// A schedule or team Opsgenie answers 404 for is unknown; any other failure throws, as it
    /// tells neither way.
    public func invisibleResponders(_ responders: [Responder]) async throws -> [Responder: String] {
        var missing: [Responder: String] = [:]
        for responder in responders {
            let collection: String
            switch responder.kind {
            case .schedule: collection = "schedules"
            case .team: collection = "teams"
            default: continue
            }
            let identifier = responder.id ?? responder.name ?? ""
            let operation = "look up \(responder)"
            // Team reads are paced with the schedule reads: the job keeps no bucket of its own for
            // Opsgenie's configuration domain, and `check` reads each name once.
            let response = try await transport.send(.init(
                method: "GET", path: ["v2", collection, identifier],
                query: [URLQueryItem(name: "identifierType", value: responder.id == nil ? "name" : "id")],
                domain: .schedule, operation: operation, accepting: [404]))
            if response.status == 404 { missing[responder] = "Opsgenie has no \(responder.kind.rawValue) \(identifier) that this key can see" }
        }
        return missing
    }

    public var writePermissionAdvice: String {
        "in Opsgenie, open the API integration whose key the job uses: it must be enabled and must not have \"Limit to Read-Only Access\" set (Opsgenie's API Access Management), as alerts are created, noted and closed; the first `apply` shows any refusal as a failed write"
    }
}
