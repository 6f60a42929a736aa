/// A rate-limit bucket of one service: the backends name theirs with an enum (`JSMBucket`,
/// `OpsgenieDomain`), so that a call cannot count against a bucket the service does not have, and
/// the transport paces each one on its own.
public protocol RateBucket: Hashable, Sendable, CustomStringConvertible {}

extension RateBucket where Self: RawRepresentable, RawValue == String {
    /// The bucket's name in logs: its raw value (`alertWrite`).
    public var description: String { rawValue }
}
