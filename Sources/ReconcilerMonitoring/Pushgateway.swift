import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPSupport

/// Pushes a run's metrics to a Prometheus Pushgateway: `POST /metrics/job/access-reconciler/cluster/<name>`.
/// A POST replaces only the metric names it carries, so a failed run, which carries no
/// `last_success_timestamp_seconds`, leaves the earlier success time in place.
public struct Pushgateway: Sendable {
    public static let job = "access-reconciler"
    public let baseURL: URL
    let timeout: Duration

    public init(baseURL: URL, timeout: Duration = .seconds(10)) {
        self.baseURL = baseURL
        self.timeout = timeout
    }

    /// The group's URL; label values are base64url-encoded (`@base64`), as the Pushgateway allows
    /// for values with slashes or nothing in them.
    public func groupURL(cluster: String) -> URL {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let encoded = Data(cluster.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let value = cluster.isEmpty || cluster.contains("/") ? "cluster@base64/" + (encoded.isEmpty ? "=" : encoded)
            : "cluster/" + (cluster.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? cluster)
        return URL(string: "\(base)/metrics/job/\(Self.job)/\(value)")!
    }

    public func push(_ text: String, cluster: String) async throws {
        var request = URLRequest(url: groupURL(cluster: cluster))
        request.httpMethod = "POST"
        request.timeoutInterval = timeout.timeInterval
        request.setValue("text/plain; version=0.0.4; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(text.utf8)
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw PushgatewayError.unreachable(APIError.describeTransport(error, service: "the Pushgateway"))
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            let code = (response as? HTTPURLResponse)?.statusCode ?? 0
            throw PushgatewayError.refused(status: code, message: String(decoding: data.prefix(300), as: UTF8.self))
        }
    }
}

/// The metrics did not reach the Pushgateway, or it refused them.
public enum PushgatewayError: Error, Sendable, CustomStringConvertible {
    case unreachable(String)
    case refused(status: Int, message: String)

    public var description: String {
        switch self {
        case let .unreachable(reason): return reason
        case let .refused(status, message): return "the Pushgateway answered \(status): \(message.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
