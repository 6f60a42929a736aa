import Foundation

extension Duration {
    /// In seconds, for arithmetic with `Date`, which counts in `TimeInterval`.
    public var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

extension Date {
    /// How long after `earlier` this is (negative when it is before).
    public func duration(since earlier: Date) -> Duration {
        .seconds(timeIntervalSince(earlier))
    }
}
