/// How fast the client may send to one rate-limit bucket: it starts at `start` requests per
/// second, raises its pace while the service does not throttle, and never goes above `ceiling`.
/// The services do not publish their per-plan limits, so the client finds them at run time.
public struct RatePolicy: Sendable, Hashable, CustomStringConvertible {
    public var start: Double
    public var ceiling: Double

    /// A `ceiling` below `start` is raised to it.
    public init(start: Double, ceiling: Double) {
        self.start = max(start, AdaptiveRateLimiter.minimumRate)
        self.ceiling = max(ceiling, self.start)
    }

    /// A pace that never changes but to slow down after a throttle.
    public static func fixed(_ rate: Double) -> RatePolicy { RatePolicy(start: rate, ceiling: rate) }

    public var description: String {
        start == ceiling ? "\(start)/s" : "\(start)/s, up to \(ceiling)/s"
    }
}

extension RatePolicy {
    /// A bucket's policy from a configured start and ceiling, either of which may be unset: an
    /// unset one is the default's, and a start above the default ceiling lifts the ceiling to it
    /// (a start is never lowered behind the user's back).
    public static func configured(start: Double?, ceiling: Double?, default fallback: RatePolicy) -> RatePolicy {
        let start = start ?? fallback.start
        return RatePolicy(start: start, ceiling: ceiling ?? max(fallback.ceiling, start))
    }
}
