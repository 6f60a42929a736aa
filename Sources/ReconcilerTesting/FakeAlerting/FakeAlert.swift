import Foundation

/// An alert as the fake alert services (Opsgenie and JSM) store it.
public struct FakeAlert: Sendable, Hashable {
    public var id: String
    public var tinyId: String
    public var alias: String
    public var message: String
    public var description: String
    public var status: String
    public var tags: [String]
    public var details: [String: String]
    /// Responders as created: `type`, and `id` or `name`.
    public var responders: [[String: String]]
    public var priority: String
    public var source: String
    public var createdAt: Date
    public var updatedAt: Date
    public var count: Int
    public var notes: [String]

    public init(id: String = UUID().uuidString.lowercased(), tinyId: String = "1", alias: String, message: String, description: String = "",
                status: String = "open", tags: [String] = [], details: [String: String] = [:], responders: [[String: String]] = [],
                priority: String = "P3", source: String = "", createdAt: Date, count: Int = 1, notes: [String] = []) {
        self.id = id
        self.tinyId = tinyId
        self.alias = alias
        self.message = message
        self.description = description
        self.status = status
        self.tags = tags
        self.details = details
        self.responders = responders
        self.priority = priority
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.count = count
        self.notes = notes
    }

    /// The list form (`BaseAlert`): responders by type and id only, as Opsgenie lists them.
    func baseJSON(ids: (String, [String: String]) -> String) -> [String: Any] {
        [
            "id": id, "tinyId": tinyId, "alias": alias, "message": message, "status": status, "acknowledged": false, "isSeen": false,
            "tags": tags, "snoozed": false, "count": count, "createdAt": FakeOpsgenie.timestamp(createdAt),
            "updatedAt": FakeOpsgenie.timestamp(updatedAt), "lastOccurredAt": FakeOpsgenie.timestamp(updatedAt),
            "source": source, "owner": "", "priority": priority,
            "responders": responders.map { ["type": $0["type"] ?? "", "id": ids($0["type"] ?? "", $0)] },
            "integration": ["id": "fake-integration", "name": "API", "type": "API"],
            "report": ["ackTime": 0, "closeTime": 0],
        ]
    }

    /// The full form (`Alert`): adds description, details and the other fields.
    func fullJSON(ids: (String, [String: String]) -> String) -> [String: Any] {
        var json = baseJSON(ids: ids)
        json["description"] = description
        json["details"] = details
        json["actions"] = [String]()
        json["entity"] = ""
        return json
    }
}
