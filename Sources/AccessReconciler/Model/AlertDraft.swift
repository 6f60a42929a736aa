/// A new alert the plan wants created. Field limits are the backend's business (it shortens safely).
public struct AlertDraft: Sendable, Hashable, Codable {
    public var message: String
    public var alias: String
    public var description: String
    public var responders: [Responder]
    public var priority: AlertPriority
    public var tags: [String]
    public var details: [String: String]

    public init(message: String, alias: String, description: String, responders: [Responder],
                priority: AlertPriority, tags: [String], details: [String: String]) {
        self.message = message
        self.alias = alias
        self.description = description
        self.responders = responders
        self.priority = priority
        self.tags = tags
        self.details = details
    }
}

/// Alert priority, P1 (highest) to P5, as both backends write it.
public enum AlertPriority: String, Sendable, Hashable, Codable, CaseIterable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4", p5 = "P5"
}
