/// The alerts one listing query matches, in the order the listing pages them, kept until an alert
/// changes: a client pages through the same query a hundred times at 10,000 alerts, and
/// re-filtering them for every page made the fakes, not the job, most of a run's CPU time.
struct FakeListingCache {
    private var key: String?
    private var version = -1
    private var matching: [FakeAlert] = []

    /// The cached alerts for `key` while `version` is unchanged, otherwise `compute()`.
    mutating func alerts(key: String, version: Int, compute: () -> [FakeAlert]) -> [FakeAlert] {
        if key != self.key || version != self.version {
            matching = compute()
            self.key = key
            self.version = version
        }
        return matching
    }
}
