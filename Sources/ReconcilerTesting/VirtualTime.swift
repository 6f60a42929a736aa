import Synchronization

/// A clock for tests that moves only when told (or when a limiter "sleeps" on it), so timing
/// rules are checked without real waits.
public final class VirtualTime: Sendable {
    private let elapsed = Mutex<Duration>(.zero)

    public init() {}

    public var now: Duration { elapsed.withLock { $0 } }

    public var seconds: Double {
        let parts = now.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    public func advance(by duration: Duration) { elapsed.withLock { $0 += duration } }
}
