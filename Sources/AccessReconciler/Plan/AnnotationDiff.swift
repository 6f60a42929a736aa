/// A readable difference between a request's live annotations and the desired ones.
struct AnnotationDiff: CustomStringConvertible {
    let live: [String: [String]]
    let desired: [String: [String]]

    var description: String {
        let keys = Set(live.keys).union(desired.keys).sorted()
        var parts: [String] = []
        for key in keys {
            let have = live[key] ?? [], want = desired[key] ?? []
            guard have != want else { continue }
            parts.append("\(key) is [\(have.joined(separator: ", "))], manifests give [\(want.joined(separator: ", "))]")
        }
        return parts.joined(separator: "; ")
    }
}
