import GRPCCore
import NIOSSL

/// A failed Teleport call, in words an operator can act on.
public enum TeleportError: Error, Sendable, CustomStringConvertible {
    case badAddress(String)
    /// The TLS connection failed; `reason` says why (unknown CA, refused certificate, …).
    case tls(address: String, reason: String)
    /// Teleport could not be reached.
    case unreachable(address: String, reason: String)
    /// Teleport answered the call with an error; `code` is nil for a failure that is no gRPC status.
    case call(operation: String, code: RPCError.Code?, message: String)
    /// The server is older than the job supports.
    case unsupportedServer(version: String, minimum: String)
    /// A listing broke off; no partial list is returned.
    case incompleteListing(String)

    public var description: String {
        switch self {
        case let .badAddress(address):
            return "`\(address)` is not a Teleport address (expected host:port, e.g. teleport.example.com:443 or auth.example.com:3025)"
        case let .tls(address, reason):
            return "Teleport at \(address): TLS failed: \(reason)"
        case let .unreachable(address, reason):
            return "Teleport at \(address) cannot be reached: \(reason)"
        case let .call(operation, code, message):
            return "Teleport: \(operation) failed: \(code.map(Self.name) ?? "error")\(message.isEmpty ? "" : ": \(message)")"
        case let .unsupportedServer(version, minimum):
            return "Teleport \(version) is older than \(minimum), the oldest version this job supports; upgrade the cluster or use an older release of the job"
        case let .incompleteListing(reason):
            return "Teleport: the access-request listing is incomplete (\(reason)); nothing was done"
        }
    }

    /// Translates a gRPC error, looking through its causes for TLS problems.
    static func from(_ error: any Error, operation: String, address: String) -> TeleportError {
        if let teleport = error as? TeleportError { return teleport }
        if let tlsReason = tlsReason(in: error) { return .tls(address: address, reason: tlsReason) }
        if let rpc = error as? RPCError {
            if rpc.code == .unavailable { return .unreachable(address: address, reason: rpc.message) }
            return .call(operation: operation, code: rpc.code, message: rpc.message)
        }
        return .call(operation: operation, code: nil, message: "\(error)")
    }

    /// A status code as Teleport's logs and documents name it (`PERMISSION_DENIED`).
    static func name(_ code: RPCError.Code) -> String {
        var name = ""
        for character in String(describing: code) {
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
        return name
    }

    /// A readable TLS failure found in the error or its causes.
    static func tlsReason(in error: any Error) -> String? {
        var current: (any Error)? = error
        var depth = 0
        while let error = current, depth < 8 {
            if let ssl = error as? NIOSSLError {
                let text = "\(ssl)"
                if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
                    return "the server's certificate is not signed by a certificate authority in the identity file (unknown CA), or does not name teleport.cluster.local"
                }
                if text.contains("ALERT_UNKNOWN_CA") || text.contains("TLSV1_ALERT_UNKNOWN_CA") {
                    return "the server does not accept the identity's client certificate (it was issued by another cluster's CA)"
                }
                if text.contains("ALERT_CERTIFICATE_EXPIRED") || text.contains("SSLV3_ALERT_CERTIFICATE_EXPIRED") {
                    return "the server refused the identity's certificate as expired"
                }
                if text.contains("ALERT_HANDSHAKE_FAILURE") || text.contains("BAD_CERTIFICATE") || text.contains("CERTIFICATE_REQUIRED") {
                    return "the server refused the identity's client certificate"
                }
                return "\(ssl)"
            }
            if let ssl = error as? BoringSSLError { return "\(ssl)" }
            if let rpc = error as? RPCError { current = rpc.cause } else if let runtime = error as? RuntimeError { current = runtime.cause } else { current = nil }
            depth += 1
        }
        return nil
    }
}
