import Foundation

/// One HTTP request as a fake server sees it.
public struct HTTPRequestRecord: Sendable, Hashable {
    public var method: String
    /// The path without the query, as sent (percent-encoded).
    public var path: String
    /// Query items in order, percent-decoded.
    public var query: [(name: String, value: String)]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, query: [(name: String, value: String)], headers: [String: String], body: Data) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The path's segments, each percent-decoded (so an encoded `/` stays inside its segment).
    public var segments: [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { $0.removingPercentEncoding ?? String($0) }
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    public static func == (lhs: HTTPRequestRecord, rhs: HTTPRequestRecord) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query.map { "\($0.name)=\($0.value)" } == rhs.query.map { "\($0.name)=\($0.value)" }
            && lhs.headers == rhs.headers && lhs.body == rhs.body
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        hasher.combine(body)
    }
}

/// What a fake server answers.
public enum HTTPReply: Sendable {
    /// A response with a status, headers and a body.
    case response(status: Int, headers: [String: String], body: Data)
    /// Close the connection without answering, as a crashed proxy or a network cut would.
    case dropConnection

    /// A JSON response, keys in byte order (`FakeJSONWriter`, or Foundation for values it leaves).
    public static func json(_ status: Int, _ object: Any, headers: [String: String] = [:]) -> HTTPReply {
        let body = FakeJSONWriter.data(object) ?? (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return .response(status: status, headers: headers.merging(["content-type": "application/json"]) { $1 }, body: body)
    }
}
