/// The request annotations Teleport's alerting plugins read, and helpers on annotation maps.
public enum RequestAnnotation {
    /// Schedules that receive the alert.
    public static let notifyServices = "teleport.dev/notify-services"
    /// Teams that receive the alert.
    public static let teams = "teleport.dev/teams"
    /// Schedules checked for auto-approval.
    public static let schedules = "teleport.dev/schedules"

    /// An annotation map with each value list sorted and de-duplicated and empty lists removed,
    /// so that two maps compare equal when Teleport would treat them alike.
    public static func normalized(_ annotations: [String: [String]]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (key, values) in annotations {
            let unique = Array(Set(values)).sorted()
            if !unique.isEmpty { result[key] = unique }
        }
        return result
    }
}
