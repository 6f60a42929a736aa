import Foundation
import Synchronization

/// What one client sent, by endpoint: calls (every attempt is one), retries, and answers 429.
/// The endpoint is the method and the path with its variable segments (ids, names) as `{}`, so
/// that the metrics have a label per route and not per alert.
public final class CallStatistics: Sendable {
    public struct Count: Sendable, Hashable {
        public var calls = 0
        public var retries = 0
        public var throttled = 0
    }

    /// Path segments that name the route itself; every other segment is a value and becomes `{}`.
    let literalSegments: Set<String>
    private let counts = Mutex<[String: Count]>([:])

    public init(literalSegments: Set<String>) {
        self.literalSegments = literalSegments
    }

    /// `GET /v2/alerts/{}/notes` for `GET https://host/v2/alerts/5f1c…/notes?limit=100`.
    public func endpoint(method: String, url: URL) -> String {
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: true).map { segment -> String in
            let text = String(segment)
            return literalSegments.contains(text) ? text : "{}"
        }
        return method + " /" + segments.joined(separator: "/")
    }

    /// Counts one attempt: the first of a call, or a retry; and whether it was answered 429.
    func record(endpoint: String, attempt: Int, throttled: Bool) {
        counts.withLock { counts in
            counts[endpoint, default: Count()].calls += 1
            if attempt > 1 { counts[endpoint, default: Count()].retries += 1 }
            if throttled { counts[endpoint, default: Count()].throttled += 1 }
        }
    }

    /// The counts so far, by endpoint.
    public var snapshot: [String: Count] { counts.withLock { $0 } }
}
