import AccessReconciler
import Foundation
import Testing

@Suite("Access Monitoring Rules in the manifests")
struct AccessMonitoringRuleTests {
    /// A rule as `tctl get access_monitoring_rules` writes it.
    static let ruleYAML = """
    kind: access_monitoring_rule
    version: v1
    metadata:
      name: dev-business-hours
    spec:
      subjects:
      - access_request
      condition: access_request.spec.roles.contains("dev")
      notification:
        name: opsgenie
        recipients:
        - dev-oncall
        - platform-oncall
      automatic_review:
        integration: builtin
        decision: DENIED
      schedules:
        office:
          time:
            timezone: Europe/Berlin
            shifts:
            - weekday: Monday
              start: "09:00"
              end: "17:00"
    """

    func load(_ yaml: String) throws -> ManifestSet {
        try ManifestLoader().load(path: try TestSupport.directory(["rules.yaml": yaml]))
    }

    func error(_ yaml: String) -> String {
        let error = #expect(throws: ManifestErrors.self) { try load(yaml) }
        return error?.description ?? ""
    }

    @Test("a rule is read with its subjects, condition and where it is written, notification, automatic review and schedules")
    func decodesRule() throws {
        let manifests = try load(Self.ruleYAML)
        #expect(manifests.skippedKinds.isEmpty, "the kind is read, not skipped")
        let rule = try #require(manifests.accessMonitoringRules["dev-business-hours"])
        #expect(rule.subjects == ["access_request"])
        #expect(rule.condition == #"access_request.spec.roles.contains("dev")"#)
        #expect(rule.conditionSource?.line == 8)
        #expect(rule.notificationName == "opsgenie" && rule.recipients == ["dev-oncall", "platform-oncall"])
        #expect(rule.automaticReview == .init(integration: "builtin", decision: .denied))
        let office = try #require(rule.schedules["office"])
        #expect(office.timeZone.identifier == "Europe/Berlin")
        #expect(office.shifts == [.init(weekday: 2, start: 9 * 60, end: 17 * 60)])
        #expect(rule.notifies(plugin: "opsgenie"))
        #expect(!rule.notifies(plugin: "jira"), "another plugin's rule")
        var otherSubject = rule
        otherSubject.subjects = ["access_list"]
        #expect(!otherSubject.notifies(plugin: "opsgenie"), "a rule for other subjects")
    }

    @Test("a schedule holds a creation time in its zone, on its weekday, from start to end to the minute; no schedules: always; no shifts: never")
    func schedules() throws {
        let rule = try #require(try load(Self.ruleYAML).accessMonitoringRules["dev-business-hours"])
        let dates = ISO8601DateFormatter()
        func at(_ text: String) -> Date { dates.date(from: text)! }
        // Monday 2026-12-07; Berlin is UTC+1 in winter.
        #expect(!rule.isScheduled(at: at("2026-12-07T07:59:59Z")), "08:59:59 in Berlin")
        #expect(rule.isScheduled(at: at("2026-12-07T08:00:00Z")), "09:00 in Berlin")
        #expect(rule.isScheduled(at: at("2026-12-07T16:00:00Z")), "17:00:00 in Berlin: the end is included")
        #expect(!rule.isScheduled(at: at("2026-12-07T16:00:01Z")), "17:00:01 in Berlin")
        #expect(!rule.isScheduled(at: at("2026-12-08T10:00:00Z")), "a Tuesday")
        // Monday 09:30 in Berlin is Monday 08:30 UTC, but Sunday 23:30 UTC is Monday 00:30 in Berlin.
        #expect(!rule.isScheduled(at: at("2026-12-06T23:30:00Z")))
        var always = rule
        always.schedules = [:]
        #expect(always.isScheduled(at: at("2026-12-06T23:30:00Z")))
        always.schedules = ["empty": RuleSchedule(timeZone: TimeZone(identifier: "UTC")!, shifts: [])]
        #expect(!always.isScheduled(at: at("2026-12-07T10:00:00Z")), "a schedule without shifts holds nothing")
    }

    @Test("a rule the job could not follow is an error naming the file, line, rule and field")
    func invalidRules() throws {
        let weekday = error(Self.ruleYAML.replacingOccurrences(of: "weekday: Monday", with: "weekday: monday"))
        #expect(weekday.contains("rules.yaml:22:") && weekday.contains("access_monitoring_rule \"dev-business-hours\"")
                && weekday.contains("expected a weekday, one of Sunday, Monday"), "\(weekday)")
        let zone = error(Self.ruleYAML.replacingOccurrences(of: "Europe/Berlin", with: "Europe/Atlantis"))
        #expect(zone.contains("rules.yaml:20:") && zone.contains("unknown time zone `Europe/Atlantis`"), "\(zone)")
        let clock = error(Self.ruleYAML.replacingOccurrences(of: #"end: "17:00""#, with: #"end: "5pm""#))
        #expect(clock.contains("rules.yaml:24:") && clock.contains("expected a time of day as HH:MM (24-hour)"), "\(clock)")
        let decision = error(Self.ruleYAML.replacingOccurrences(of: "decision: DENIED", with: "decision: maybe"))
        #expect(decision.contains("rules.yaml:16:") && decision.contains("expected a decision of APPROVED or DENIED"), "\(decision)")
        let version = error(Self.ruleYAML.replacingOccurrences(of: "version: v1", with: "version: v2"))
        #expect(version.contains("unsupported access_monitoring_rule version `v2`"), "\(version)")
        let twice = error(Self.ruleYAML + "\n---\n" + Self.ruleYAML)
        #expect(twice.contains("the access_monitoring_rule is defined twice; first at"), "\(twice)")
    }
}
