import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where a client may send its credentials: the scheme, host and port it was configured with,
/// and nowhere else. Every HTTP client of the job that carries an API key or a token (Opsgenie,
/// and the alerting services that follow it) goes through this one rule.
public struct CredentialScope: Sendable, Hashable {
    public let scheme: String?
    public let host: String?
    public let port: Int?

    public init(_ base: URL) {
        scheme = base.scheme?.lowercased()
        host = base.host?.lowercased()
        port = base.port ?? CredentialScope.defaultPort(base.scheme)
    }

    /// Whether `url` is on the configured origin.
    public func allows(_ url: URL) -> Bool {
        url.scheme?.lowercased() == scheme && url.host?.lowercased() == host && (url.port ?? Self.defaultPort(url.scheme)) == port
    }

    /// A session that never follows a redirect: a redirect comes back as the 3xx response, for the
    /// caller to turn into `RedirectRefused`. Following one would send the credentials (and, for
    /// 301 and 302, a POST without its body) wherever the server points.
    public static func session(configuration: URLSessionConfiguration) -> URLSession {
        URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    private static func defaultPort(_ scheme: String?) -> Int? {
        switch scheme?.lowercased() {
        case "https": return 443
        case "http": return 80
        default: return nil
        }
    }
}

/// A redirect the job did not follow, naming where it came from and where it pointed.
public struct RedirectRefused: Error, Sendable, Hashable, CustomStringConvertible {
    public var from: URL
    public var to: String
    public var status: Int

    public init(from: URL, to: String, status: Int) {
        self.from = from
        self.to = to
        self.status = status
    }

    /// The refusal for a 3xx response, or nil for any other status.
    public init?(status: Int, from: URL, location: String?) {
        guard (300..<400).contains(status), status != 304 else { return nil }
        self.init(from: from, to: location ?? "(no Location header)", status: status)
    }

    public var description: String {
        "\(from.absoluteString) answered \(status), redirecting to \(to); redirects are not followed, so that the credentials never leave the configured host: configure the final URL"
    }
}

/// The URLSession delegate that declines every redirect.
final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
