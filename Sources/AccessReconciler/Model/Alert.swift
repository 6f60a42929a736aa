import Foundation

/// An alert as the reconciler observed it, whichever backend holds it.
public struct Alert: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case open, closed
    }

    /// How the observer came to know the alert; alerts found only by alias were created by
    /// Teleport's own plugin and carry no tag of the job's.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// Listed by the job's owner tag.
        case tagged
        /// Found by the request's alias.
        case alias
    }

    public var id: String
    public var alias: String
    public var message: String
    public var status: Status
    public var tags: [String]
    public var details: [String: String]
    public var responders: [Responder]
    public var createdAt: Date
    /// How often the alias was raised (the backend's de-duplication counter).
    public var count: Int
    public var origin: Origin

    public init(id: String, alias: String, message: String = "", status: Status = .open, tags: [String] = [],
                details: [String: String] = [:], responders: [Responder] = [], createdAt: Date,
                count: Int = 1, origin: Origin = .tagged) {
        self.id = id
        self.alias = alias
        self.message = message
        self.status = status
        self.tags = tags
        self.details = details
        self.responders = responders
        self.createdAt = createdAt
        self.count = count
        self.origin = origin
    }

    /// The request this alert is about, if its alias follows the shared convention.
    public var requestID: String? { AlertAlias.requestID(from: alias) }
}
