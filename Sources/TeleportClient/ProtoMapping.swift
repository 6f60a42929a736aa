import AccessReconciler
import Foundation
import SwiftProtobuf

/// Conversions between Teleport's wire messages and the reconciler's model.
public enum ProtoMapping {
    /// Go's zero time (0001-01-01T00:00:00Z), which Teleport sends for unset non-nullable times.
    static let goZeroSeconds: Int64 = -62_135_596_800

    /// The date of a timestamp, or nil when unset (absent, zero, or Go's zero time).
    public static func date(_ timestamp: Google_Protobuf_Timestamp?) -> Date? {
        guard let timestamp, timestamp.seconds > goZeroSeconds, !(timestamp.seconds == 0 && timestamp.nanos == 0) else { return nil }
        return timestamp.date
    }

    public static func timestamp(_ date: Date?) -> Google_Protobuf_Timestamp {
        guard let date else { return Google_Protobuf_Timestamp() }
        return Google_Protobuf_Timestamp(date: date)
    }

    public static func state(_ state: Types_RequestState) -> RequestState {
        switch state {
        case .pending: return .pending
        case .approved: return .approved
        case .denied: return .denied
        case .promoted: return .promoted
        default: return .none
        }
    }

    public static func state(_ state: RequestState) -> Types_RequestState {
        switch state {
        case .none: return .none
        case .pending: return .pending
        case .approved: return .approved
        case .denied: return .denied
        case .promoted: return .promoted
        }
    }

    public static func traits(_ values: Wrappers_LabelValues) -> [String: [String]] {
        values.values.mapValues(\.values)
    }

    public static func labelValues(_ traits: [String: [String]]) -> Wrappers_LabelValues {
        var result = Wrappers_LabelValues()
        result.values = traits.mapValues { list in
            var values = Wrappers_StringValues()
            values.values = list
            return values
        }
        return result
    }

    /// The model of a request as Teleport sent it.
    public static func request(_ message: Types_AccessRequestV3) -> AccessRequest {
        let spec = message.spec
        let resourceExpires = date(message.metadata.hasExpires ? message.metadata.expires : nil)
            ?? date(spec.hasResourceExpiry ? spec.resourceExpiry : nil)
        return AccessRequest(
            id: message.metadata.name, user: spec.user, roles: spec.roles, state: state(spec.state),
            created: date(spec.created) ?? Date(timeIntervalSince1970: 0), accessExpires: date(spec.expires),
            resourceExpires: resourceExpires, maxDuration: date(spec.maxDuration),
            requestReason: spec.requestReason, resolveReason: spec.resolveReason,
            systemAnnotations: traits(spec.systemAnnotations),
            reviews: spec.reviews.map { review in
                AccessReview(author: review.author, proposedState: state(review.proposedState), reason: review.reason,
                             created: date(review.created) ?? Date(timeIntervalSince1970: 0))
            })
    }

    /// The wire form of a request (used by the fake Auth Service and for seeding).
    public static func message(_ request: AccessRequest, thresholds: [(approve: UInt32, deny: UInt32)] = [(1, 1)]) -> Types_AccessRequestV3 {
        var message = Types_AccessRequestV3()
        message.kind = "access_request"
        message.version = "v3"
        message.metadata.name = request.id
        if let resourceExpires = request.resourceExpires { message.metadata.expires = timestamp(resourceExpires) }
        message.spec.user = request.user
        message.spec.roles = request.roles
        message.spec.state = state(request.state)
        message.spec.created = timestamp(request.created)
        message.spec.expires = timestamp(request.accessExpires)
        message.spec.maxDuration = timestamp(request.maxDuration)
        message.spec.requestReason = request.requestReason
        message.spec.resolveReason = request.resolveReason
        message.spec.systemAnnotations = labelValues(request.systemAnnotations)
        message.spec.thresholds = thresholds.map { threshold in
            var value = Types_AccessReviewThreshold()
            value.approve = threshold.approve
            value.deny = threshold.deny
            return value
        }
        message.spec.reviews = request.reviews.map { review in
            var value = Types_AccessReview()
            value.author = review.author
            value.proposedState = state(review.proposedState)
            value.reason = review.reason
            value.created = timestamp(review.created)
            return value
        }
        return message
    }
}
