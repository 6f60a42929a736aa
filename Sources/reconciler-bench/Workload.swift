import Foundation

/// How the fakes of a row behave: latency on every call, the time an alert write takes to be
/// processed after it is accepted (drawn per write from the range), and a write limit if any.
struct Workload {
    var latencyMs: Int
    var processingMs: ClosedRange<Int>
    var throttle: ThrottleProfile? = nil

    var latency: Double { Double(latencyMs) / 1000 }
    var longestProcessing: Double { Double(processingMs.upperBound) / 1000 }
}

/// How the job is configured for a row: tuned (rate ceilings raised out of the way, a chosen
/// concurrency), or every setting at its default, as a user runs it.
enum JobSettings {
    case tuned(concurrency: Int)
    case defaults

    /// The concurrency given to the job; nil leaves the job's defaults.
    var concurrency: Int? {
        if case let .tuned(concurrency) = self { return concurrency }
        return nil
    }

    var label: String { concurrency.map { "c\($0)" } ?? "defaults" }
}
