/// How the job reaches Teleport's Auth Service (`teleport.route`).
public enum TeleportRoute: String, Sendable, Hashable, CaseIterable {
    /// Port 3025 means the Auth Service itself, any other port a Proxy.
    case automatic = "auto"
    /// Straight to the Auth Service (`host:3025`).
    case auth
    /// Through a Proxy's web address with TLS routing (ALPN `teleport-auth@…`).
    case proxy
}
