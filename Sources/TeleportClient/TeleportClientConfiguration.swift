import AccessReconciler
import Foundation
import HTTPSupport

/// How the job reaches Teleport's Auth Service.
public struct TeleportClientConfiguration: Sendable {
    /// How the connection reaches the Auth Service: the setting's own type.
    public typealias Route = TeleportRoute

    /// `host:port` of the Auth Service or the Proxy.
    public var address: String
    /// The identity file's path.
    public var identityFile: String
    public var route: Route = .automatic
    /// The cluster whose Auth Service a Proxy should route to; by default the cluster that issued
    /// the identity.
    public var clusterName: String?
    /// Deadline of one call.
    public var callTimeout: Duration = .seconds(30)
    /// How long a new connection may take to complete its TLS handshake.
    public var connectTimeout: Duration = .seconds(10)
    /// Calls answered UNAVAILABLE are tried again with the API clients' back-off: `maxAttempts`
    /// in all (the first included), waits from `baseDelay` doubling up to `maxDelay`.
    public var retry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(250), maxDelay: .seconds(8))
    /// Requests per ListAccessRequests page (Teleport's default is 1000, its maximum 16000).
    public var pageSize = 1000
    /// HTTP/2 keepalive as Teleport's own clients use it: a ping after a minute idle, the connection
    /// given up after three minutes without an answer.
    public var keepaliveInterval: Duration = .seconds(60)
    public var keepaliveTimeout: Duration = .seconds(180)

    public init(address: String, identityFile: String) {
        self.address = address
        self.identityFile = identityFile
    }

    /// `host` and `port` of `address`; a missing port means 3025 (the Auth Service's usual port).
    public func hostAndPort() throws -> (host: String, port: Int) {
        var text = address
        if let schemeEnd = text.range(of: "://") { text = String(text[schemeEnd.upperBound...]) }
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":"), let port = rest.isEmpty ? 3025 : Int(rest.dropFirst()) else {
                throw TeleportError.badAddress(address)
            }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 2 else { throw TeleportError.badAddress(address) }
        guard parts.count == 2 else { return (String(host), 3025) }
        guard let port = Int(parts[1]), (1...65535).contains(port) else { throw TeleportError.badAddress(address) }
        return (String(host), port)
    }

    /// Whether the connection goes through a Proxy.
    public func usesProxy() throws -> Bool {
        switch route {
        case .auth: return false
        case .proxy: return true
        case .automatic: return try hostAndPort().port != 3025
        }
    }
}
