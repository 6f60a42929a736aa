import AccessReconciler
import Foundation
import HTTPSupport

/// `check`'s read-only calls to Opsgenie: the job's own listing query for one alert, and each
/// schedule and team read by name (`GET /v2/schedules/{identifier}`, `GET /v2/teams/{identifier}`
/// with `identifierType` `name` or `id`, both in the API description). Nothing here writes.
extension OpsgenieAlertBackend: AlertServicePreflight {
    public var serviceName: String { "Opsgenie" }

    public func probeListing(taggedWith tags: [String]) async -> ProbeOutcome {
        let operation = "list open alerts tagged \(tags.joined(separator: ", ")) (one alert)"
        do {
            let response = try await transport.send(Self.listingRequest(query: Self.openAlertsQuery(taggedWith: tags), limit: 1, operation: operation))
            _ = try decode(ListAlertsEnvelope.self, response, operation: operation)
            return .accepted
        } catch let error as APIError {
            return error.probeOutcome
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
        "in Opsgenie, open the API integration whose key the job uses and check that it is enabled with Create and Update Access (alerts are created, noted and closed); the first `apply` shows any refusal as a failed write"
    }
}

extension APIError {
    /// How `check` reads a failed probe: 401 and 403 refuse the credentials or their rights, 400
    /// and 422 call the request wrong; anything else tells neither.
    var probeOutcome: ProbeOutcome {
        switch kind {
        case .status(401), .status(403): return .refused(description)
        case .status(400), .status(422): return .invalid(description)
        default: return .failed(description)
        }
    }
}
