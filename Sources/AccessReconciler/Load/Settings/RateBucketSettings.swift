/// The two settings of one rate-limit bucket of an alert backend, the pace to start at and the
/// ceiling it may rise to, declared by one rule for every bucket of every backend: keys
/// `<backend>.rate_limits.<bucket>` and `<backend>.rate_ceilings.<bucket>`, flags
/// `--<backend>-<name>-rate[-ceiling]`, variables `<BACKEND>_<NAME>_RATE[_CEILING]`, and as
/// defaults the client's own default pace, so that the table cannot disagree with the client.
public struct RateBucketSettings: Sendable {
    /// `opsgenie`, `jsm`.
    public var backend: String
    /// The bucket in file keys (`alert_write`).
    public var bucket: String
    /// The bucket in flags and variables (`write`).
    public var name: String
    /// The client's default pace: where it starts, and its ceiling.
    public var start: Double
    public var ceiling: Double
    public var startHelp: String
    public var ceilingHelp: String

    public init(backend: String, bucket: String, name: String, start: Double, ceiling: Double, startHelp: String, ceilingHelp: String) {
        self.backend = backend
        self.bucket = bucket
        self.name = name
        self.start = start
        self.ceiling = ceiling
        self.startHelp = startHelp
        self.ceilingHelp = ceilingHelp
    }

    /// The start setting, then the ceiling setting, each handing its rate to the setter given.
    public func settings<Target>(of target: Target.Type, start setStart: @escaping @Sendable (inout Target, Double) -> Void,
                                 ceiling setCeiling: @escaping @Sendable (inout Target, Double) -> Void) -> [Setting<Target>] {
        let variable = "\(backend)_\(name)".uppercased().replacingOccurrences(of: "-", with: "_") + "_RATE"
        return [
            Setting(.init(key: "\(backend).rate_limits.\(bucket)", flag: "--\(backend)-\(name)-rate", environment: variable,
                          valueName: "PER_SECOND", default: Self.shown(start), help: startHelp)) { target, value in
                setStart(&target, try value.rate())
            },
            Setting(.init(key: "\(backend).rate_ceilings.\(bucket)", flag: "--\(backend)-\(name)-rate-ceiling", environment: variable + "_CEILING",
                          valueName: "PER_SECOND", default: Self.shown(ceiling), help: ceilingHelp)) { target, value in
                setCeiling(&target, try value.rate())
            },
        ]
    }

    /// What the alert-write and alert-read buckets are for, the same in every backend.
    public static let alertWriteHelp = (
        start: "Alert writes per second to start at; the pace doubles while nothing is throttled, up to the ceiling; a throttle slows it to three quarters of the rate the bucket allowed, for the rest of the run.",
        ceiling: "The most alert writes per second the pace may rise to.")
    public static let alertReadHelp = (
        start: "Alert reads (listings, lookups, request statuses) per second to start at.",
        ceiling: "The most alert reads per second the pace may rise to.")

    /// A rate as the README's table writes defaults: `5`, `0.5`.
    static func shown(_ rate: Double) -> String {
        SettingDeclaration.shown(rate == rate.rounded() ? String(Int(rate)) : String(rate))
    }
}
