/// A service's request-rate limit of one bucket, as Opsgenie describes its own: at most `perSecond`
/// requests in any rolling second and at most `perMinute` in any rolling minute.
public struct FakeRateLimit: Sendable, Hashable {
    public var perSecond: Int?
    public var perMinute: Int?

    public init(perSecond: Int? = nil, perMinute: Int? = nil) {
        self.perSecond = perSecond
        self.perMinute = perMinute
    }
}

/// The requests a fake let through per bucket in the last minute, to apply `FakeRateLimit`s (the
/// pacing tests use it as the server of a simulation).
public struct FakeRateWindows<Bucket: Hashable & Sendable>: Sendable {
    /// Acceptance times in seconds, oldest first, none older than a minute.
    private var accepted: [Bucket: [Double]] = [:]

    public init() {}

    /// Lets a request at `now` (seconds) through and counts it, or returns the period in seconds
    /// of the bucket that is full: 1 or 60.
    public mutating func admit(_ bucket: Bucket, under limit: FakeRateLimit, at now: Double) -> Int? {
        var times = accepted[bucket] ?? []
        if let kept = times.firstIndex(where: { $0 > now - 60 }) {
            times.removeFirst(kept)
        } else {
            times.removeAll()
        }
        defer { accepted[bucket] = times }
        if let perSecond = limit.perSecond, times.reversed().prefix(while: { $0 > now - 1 }).count >= perSecond { return 1 }
        if let perMinute = limit.perMinute, times.count >= perMinute { return 60 }
        times.append(now)
        return nil
    }
}
