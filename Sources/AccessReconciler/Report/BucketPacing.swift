/// Where a backend's pacing of one rate-limit bucket ended a run: the pace it settled at, how high
/// it may still rise, and how often the service throttled. A run that was throttled tells the
/// operator what the account's limit looks like, for the start rate of the next one.
public struct BucketPacing: Codable, Sendable, Hashable {
    /// The backend and bucket, e.g. `Opsgenie alertWrite`.
    public var bucket: String
    /// Requests per second.
    public var pace: Double
    public var ceiling: Double
    /// Calls answered 429.
    public var throttles: Int

    public init(bucket: String, pace: Double, ceiling: Double, throttles: Int) {
        self.bucket = bucket
        self.pace = pace
        self.ceiling = ceiling
        self.throttles = throttles
    }
}
