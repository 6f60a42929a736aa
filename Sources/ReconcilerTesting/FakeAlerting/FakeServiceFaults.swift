/// Faults the fake alert services (Opsgenie and JSM) inject, to test a client's resilience. Rates
/// are applied with a seeded generator, so a test sees the same sequence of faults on every run.
public struct FakeServiceFaults: Sendable, Hashable {
    /// Added before every answer.
    public var latency: Duration = .zero
    /// Share of requests answered with 503 before they are processed.
    public var serverErrorRate: Double = 0
    /// Share of requests whose connection is dropped before they are processed.
    public var dropRate: Double = 0
    /// Seed of the generator deciding which requests fail.
    public var seed: UInt64 = 1
    /// A write (any method but GET) is processed at once and its answer held back this long: a
    /// service that took the write but is slow to say so, as at a run's deadline.
    public var writeAnswerDelay: Duration = .zero

    public init(latency: Duration = .zero, serverErrorRate: Double = 0, dropRate: Double = 0, seed: UInt64 = 1,
                writeAnswerDelay: Duration = .zero) {
        self.latency = latency
        self.writeAnswerDelay = writeAnswerDelay
        self.serverErrorRate = serverErrorRate
        self.dropRate = dropRate
        self.seed = seed
    }

    /// How long the answer to a request of `method` is held back after it is processed.
    func answerDelay(method: String) -> Duration {
        method == "GET" ? .zero : writeAnswerDelay
    }
}

/// A fault for one upcoming request, queued by a test for an exact sequence.
public enum FakeScriptedFault: Sendable, Hashable {
    /// Answer with this status (and Opsgenie's error body) without processing.
    case status(Int)
    /// Answer 429 as if the named domain's bucket were empty.
    case throttle(periodSeconds: Int)
    /// Close the connection without processing.
    case drop
    /// Process the request, then close the connection without answering (a lost response).
    case dropAfterProcessing
}
