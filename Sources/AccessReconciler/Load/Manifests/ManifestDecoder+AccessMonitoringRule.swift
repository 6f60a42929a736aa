import Foundation

extension ManifestDecoder {
    /// An `access_monitoring_rule` document. Every field is checked where it is written, so that a
    /// rule the job could not follow as Teleport does is an error naming the file, line and field.
    static func decodeAccessMonitoringRule(_ root: YAMLValue, name: String?, at location: SourceLocation) throws -> AccessMonitoringRule {
        let name = try requireName(root, name)
        guard let versionValue = try root.field("version") else { throw root.invalid("missing `version`") }
        let version = try versionValue.string()
        guard AccessMonitoringRule.supportedVersions.contains(version) else {
            throw versionValue.invalid("unsupported access_monitoring_rule version `\(version)` (supported: \(AccessMonitoringRule.supportedVersions.joined(separator: ", ")))")
        }
        guard let spec = try root.field("spec") else { throw root.invalid("missing `spec`") }
        let conditionValue = try spec.field("condition")
        var rule = AccessMonitoringRule(name: name, subjects: try spec.field("subjects")?.stringList() ?? [],
                                        condition: try conditionValue?.string() ?? "", conditionSource: conditionValue?.location,
                                        source: location)
        if let notification = try spec.field("notification") {
            rule.notificationName = try notification.field("name")?.string()
            rule.recipients = try notification.field("recipients")?.stringList() ?? []
        }
        rule.desiredState = try spec.field("desired_state")?.string() ?? ""
        if let review = try spec.field("automatic_review") {
            let decisionValue = try review.field("decision")
            let text = try decisionValue?.string() ?? ""
            guard let decisionValue, let decision = AccessMonitoringRule.Decision(rawValue: text) else {
                throw (decisionValue ?? review).invalid("expected a decision of \(AccessMonitoringRule.Decision.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            rule.automaticReview = .init(integration: try review.field("integration")?.string() ?? "", decision: decision)
        }
        for (scheduleName, schedule) in try spec.field("schedules")?.mapping() ?? [] {
            rule.schedules[scheduleName] = try decodeSchedule(schedule)
        }
        return rule
    }

    /// One named schedule: `time.timezone` (an IANA name; empty is UTC, as in Teleport) and
    /// `time.shifts`.
    private static func decodeSchedule(_ schedule: YAMLValue) throws -> RuleSchedule {
        guard let time = try schedule.field("time") else { throw schedule.invalid("missing `time`") }
        let zoneValue = try time.field("timezone")
        let zoneName = try zoneValue?.string() ?? ""
        guard let zone = zoneName.isEmpty ? TimeZone(identifier: "UTC") : TimeZone(identifier: zoneName) else {
            throw (zoneValue ?? time).invalid("unknown time zone `\(zoneName)` (expected an IANA name such as Europe/Berlin)")
        }
        let shifts = try (time.field("shifts")?.sequence() ?? []).map { shift -> RuleSchedule.Shift in
            let weekdayValue = try shift.field("weekday")
            let weekday = try weekdayValue?.string() ?? ""
            guard let day = RuleSchedule.weekdayNames.firstIndex(of: weekday) else {
                throw (weekdayValue ?? shift).invalid("expected a weekday, one of \(RuleSchedule.weekdayNames.joined(separator: ", "))")
            }
            func clock(_ key: String) throws -> Int {
                guard let value = try shift.field(key) else { throw shift.invalid("missing `\(key)`") }
                guard let minutes = RuleSchedule.minutes(try value.string()) else { throw value.invalid("expected a time of day as HH:MM (24-hour)") }
                return minutes
            }
            return RuleSchedule.Shift(weekday: day + 1, start: try clock("start"), end: try clock("end"))
        }
        return RuleSchedule(timeZone: zone, shifts: shifts)
    }
}
