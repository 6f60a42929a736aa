import Foundation
import Synchronization

/// The observation indexed once for a planning pass, and cut into shares of contiguous
/// request-ID ranges. Every write and every finding concerns one request (or no request at all),
/// so shares can be planned at the same time and their results put side by side.
struct PlanInput: Sendable {
    let observation: Observation
    /// Positions in `observation.requests` of each request once (of a request listed twice, the
    /// last copy, as a dictionary would keep), in ID order.
    let requestOrder: [Int]
    /// Position in `observation.requests` by request ID.
    let requestsByID: [String: Int]
    /// Positions in `observation.alerts` of this cluster's open alerts, each once, by the request
    /// their alias names; each list in alert-ID order.
    let alertsByRequest: [String: [Int]]
    /// The keys of `alertsByRequest` that name no listed request (Teleport deleted it), sorted.
    let orphanedRequestIDs: [String]
    /// `observation.lookedUp`, sorted.
    let lookedUp: [String]
    /// `observation.unknown`, sorted by request ID.
    let unknown: [(requestID: String, reason: String)]
    /// Positions of the job's open alerts of this cluster whose alias names no request.
    let unrecognisedAlerts: [Int]

    /// One share of the work: ranges into the sorted lists above.
    struct Share: Sendable {
        var requests: Range<Int>
        var orphanedRequests: Range<Int>
        var lookedUp: Range<Int>
        var unknown: Range<Int>
        /// The first share also reports the alerts that name no request.
        var isFirst: Bool
    }

    /// Builds the three independent indexes (alerts, requests, lookups) at the same time.
    init(observation: Observation) {
        self.observation = observation
        let alerts = Mutex<AlertIndex?>(nil)
        let requests = Mutex<RequestIndex?>(nil)
        let lookups = Mutex<(lookedUp: [String], unknown: [(requestID: String, reason: String)])?>(nil)
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            switch part {
            case 0:
                let index = AlertIndex(observation)
                alerts.withLock { $0 = index }
            case 1:
                let index = RequestIndex(observation.requests)
                requests.withLock { $0 = index }
            default:
                let lookedUp = observation.lookedUp.sorted()
                let unknown = observation.unknown.sorted { $0.key < $1.key }.map { (requestID: $0.key, reason: $0.value) }
                lookups.withLock { $0 = (lookedUp, unknown) }
            }
        }
        let alertIndex = alerts.withLock { $0! }
        let requestIndex = requests.withLock { $0! }
        let lookupIndex = lookups.withLock { $0! }
        requestOrder = requestIndex.order
        requestsByID = requestIndex.byID
        alertsByRequest = alertIndex.byRequest
        orphanedRequestIDs = alertIndex.byRequest.keys.filter { requestIndex.byID[$0] == nil }.sorted()
        unrecognisedAlerts = alertIndex.unrecognised
        lookedUp = lookupIndex.lookedUp
        unknown = lookupIndex.unknown
    }

    /// This cluster's open alerts by the request they name.
    struct AlertIndex: Sendable {
        var byRequest: [String: [Int]] = [:]
        var unrecognised: [Int] = []

        init(_ observation: Observation) {
            let alerts = observation.alerts
            byRequest.reserveCapacity(alerts.count)
            for index in PlanInput.uniqueOpenAlerts(alerts) {
                guard let requestID = alerts[index].requestID else {
                    if alerts[index].origin == .tagged && AlertDetails.belongs(alerts[index], to: observation.cluster) { unrecognised.append(index) }
                    continue
                }
                guard AlertDetails.belongs(alerts[index], to: observation.cluster) else { continue }
                byRequest[requestID, default: []].append(index)
            }
            // Only a request's own alerts need the alert-ID order, and most requests have one.
            var position = byRequest.values.startIndex
            while position != byRequest.values.endIndex {
                if byRequest.values[position].count > 1 { byRequest.values[position].sort { alerts[$0].id < alerts[$1].id } }
                byRequest.values.formIndex(after: &position)
            }
            unrecognised.sort { alerts[$0].id < alerts[$1].id }
        }
    }

    /// Each request once, in ID order, and its position by ID.
    struct RequestIndex: Sendable {
        var order: [Int] = []
        var byID: [String: Int] = [:]

        init(_ requests: [AccessRequest]) {
            let sorted = requests.indices.sorted { requests[$0].id < requests[$1].id || (requests[$0].id == requests[$1].id && $0 < $1) }
            order.reserveCapacity(sorted.count)
            byID.reserveCapacity(sorted.count)
            for (position, index) in sorted.enumerated() {
                if position + 1 < sorted.count, requests[sorted[position + 1]].id == requests[index].id { continue }
                order.append(index)
                byID[requests[index].id] = index
            }
        }
    }

    /// Open alerts, each once (the listed copy over one found by alias), in no particular order:
    /// their positions, so that no alert is copied.
    static func uniqueOpenAlerts(_ alerts: [Alert]) -> Dictionary<String, Int>.Values {
        var byID: [String: Int] = [:]
        byID.reserveCapacity(alerts.count)
        for index in alerts.indices where alerts[index].status == .open {
            if let kept = byID[alerts[index].id], alerts[kept].origin == .tagged { continue }
            byID[alerts[index].id] = index
        }
        return byID.values
    }

    /// `count` shares (fewer when there are fewer requests) that together cover everything once.
    /// Each share starts at a request ID; whatever sorts before the second share's first request
    /// is the first share's, and so on.
    func shares(_ count: Int) -> [Share] {
        let count = max(1, min(count, requestOrder.count))
        let cuts = (0...count).map { $0 * requestOrder.count / count }
        let bounds = cuts.dropFirst().dropLast().map { observation.requests[requestOrder[$0]].id }
        func split(_ sorted: [String]) -> [Int] {
            [0] + bounds.map { bound in Self.firstIndex(in: sorted, notBelow: bound) } + [sorted.count]
        }
        let orphaned = split(orphanedRequestIDs)
        let looked = split(lookedUp)
        let unknownCuts = split(unknown.map(\.requestID))
        return (0..<count).map { share in
            Share(requests: cuts[share]..<cuts[share + 1], orphanedRequests: orphaned[share]..<orphaned[share + 1],
                  lookedUp: looked[share]..<looked[share + 1], unknown: unknownCuts[share]..<unknownCuts[share + 1],
                  isFirst: share == 0)
        }
    }

    /// The first position in `sorted` whose value is not below `bound` (binary search).
    static func firstIndex(in sorted: [String], notBelow bound: String) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
