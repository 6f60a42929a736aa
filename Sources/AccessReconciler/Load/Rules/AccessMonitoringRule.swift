import Foundation

/// A Teleport Access Monitoring Rule (`kind: access_monitoring_rule`, `version: v1`), as
/// `tctl get access_monitoring_rules` writes it. Teleport's Opsgenie plugin routes a request by the
/// rules that name it before it reads the request's annotations.
public struct AccessMonitoringRule: Sendable, Hashable {
    /// The subject a rule must list to concern access requests.
    public static let accessRequestSubject = "access_request"
    public static let supportedVersions = ["v1"]

    /// What the rule's automatic review decides.
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        case approved = "APPROVED"
        case denied = "DENIED"
    }

    /// A review Teleport submits on its own for the requests the rule covers.
    public struct AutomaticReview: Sendable, Hashable {
        /// The integration that reviews (`builtin` for Teleport itself).
        public var integration: String
        public var decision: Decision

        public init(integration: String, decision: Decision) {
            self.integration = integration
            self.decision = decision
        }
    }

    public var name: String
    /// The kinds of resources the rule concerns (`access_request`).
    public var subjects: [String]
    /// The predicate a request must satisfy, in Teleport's expression language; empty matches nothing.
    public var condition: String
    /// Where the condition is written, for errors that point into it.
    public var conditionSource: SourceLocation?
    /// The plugin the rule notifies (`opsgenie`), and whom: schedules, for the Opsgenie plugin.
    public var notificationName: String?
    public var recipients: [String]
    /// `reviewed` when the rule reviews rather than notifies; empty otherwise.
    public var desiredState: String
    public var automaticReview: AutomaticReview?
    /// When the rule applies, by the request's creation time; empty: always.
    public var schedules: [String: RuleSchedule]
    public var source: SourceLocation

    public init(name: String, subjects: [String] = [AccessMonitoringRule.accessRequestSubject], condition: String,
                conditionSource: SourceLocation? = nil, notificationName: String? = nil, recipients: [String] = [],
                desiredState: String = "", automaticReview: AutomaticReview? = nil, schedules: [String: RuleSchedule] = [:],
                source: SourceLocation = SourceLocation(file: "<memory>", line: 1)) {
        self.name = name
        self.subjects = subjects
        self.condition = condition
        self.conditionSource = conditionSource
        self.notificationName = notificationName
        self.recipients = recipients
        self.desiredState = desiredState
        self.automaticReview = automaticReview
        self.schedules = schedules
        self.source = source
    }

    /// Whether a plugin of this name reads the rule, as Teleport's plugins decide it: the rule's
    /// notification names the plugin and its subjects include access requests.
    public func notifies(plugin: String) -> Bool {
        notificationName == plugin && subjects.contains(Self.accessRequestSubject)
    }

    /// Whether a request created at `created` falls in the rule's schedules: always when it has
    /// none, else when one of them holds the time.
    public func isScheduled(at created: Date) -> Bool {
        schedules.isEmpty || schedules.values.contains { $0.contains(created) }
    }
}
