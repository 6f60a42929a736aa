import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority made at run time for tests, shaped like a Teleport cluster's: named after
/// the cluster, issuing a server certificate for `teleport.cluster.local` and client certificates
/// whose common name is the Teleport user and whose organizations are its roles, as Teleport
/// writes them (`lib/tlsca`). Nothing is read from or written to disk but identity
/// files a test asks for.
public struct TestCertificateAuthority: Sendable {
    /// A certificate and its key, PEM.
    public struct Issued: Sendable {
        public var certificatePEM: String
        public var privateKeyPEM: String
    }

    public let cluster: String
    public let certificatePEM: String
    private let key: P256.Signing.PrivateKey
    private let certificate: Certificate

    public init(cluster: String, now: Date = Date()) throws {
        self.cluster = cluster
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName(cluster)
            CommonName(cluster)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        self.key = key
        self.certificate = certificate
        self.certificatePEM = try certificate.serializeAsPEM().pemString
    }

    /// The Auth Service's certificate, for `teleport.cluster.local`.
    public func issueServerCertificate(now: Date = Date()) throws -> Issued {
        try issue(commonName: "teleport.cluster.local", dnsNames: ["teleport.cluster.local", "localhost"], usage: .serverAuth,
                  notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(30 * 86_400))
    }

    /// A user's client certificate holding `roles`, valid from `notBefore` to `notAfter`.
    public func issueClientCertificate(user: String, roles: [String], notBefore: Date, notAfter: Date) throws -> Issued {
        try issue(commonName: user, organizations: roles, dnsNames: [], usage: .clientAuth, notBefore: notBefore, notAfter: notAfter)
    }

    private func issue(commonName: String, organizations: [String]? = nil, dnsNames: [String], usage: ExtendedKeyUsage.Usage,
                       notBefore: Date, notAfter: Date) throws -> Issued {
        let leafKey = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            for organization in organizations ?? [cluster] { OrganizationName(organization) }
            CommonName(commonName)
        }
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(leafKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: certificate.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([usage])
                if !dnsNames.isEmpty { SubjectAlternativeNames(dnsNames.map { .dnsName($0) }) }
            },
            issuerPrivateKey: .init(key))
        return Issued(certificatePEM: try leaf.serializeAsPEM().pemString, privateKeyPEM: leafKey.pemRepresentation)
    }

    /// An identity file in Teleport's layout (key, SSH certificate line, TLS certificate,
    /// `@cert-authority` line, TLS CA), written with mode 0600 into `directory`. The user holds
    /// `roles`, by default a role named like the user.
    public func writeIdentityFile(user: String, roles: [String]? = nil, directory: URL, notBefore: Date = Date().addingTimeInterval(-60),
                                  notAfter: Date = Date().addingTimeInterval(3600), trusting authorities: [TestCertificateAuthority]? = nil) throws -> String {
        let issued = try issueClientCertificate(user: user, roles: roles ?? [user], notBefore: notBefore, notAfter: notAfter)
        let trusted = authorities ?? [self]
        // The SSH parts are not used over gRPC; they only need Teleport's shape.
        let sshKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let text = issued.privateKeyPEM.trimmingCharacters(in: .newlines) + "\n"
            + "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t\(sshKey) \(user)\n"
            + issued.certificatePEM.trimmingCharacters(in: .newlines) + "\n"
            + trusted.map { "@cert-authority *.\($0.cluster),\($0.cluster) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\(sshKey) type=host\n" }.joined()
            + trusted.map { $0.certificatePEM.trimmingCharacters(in: .newlines) + "\n" }.joined()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("identity-\(user)-\(UUID().uuidString.prefix(8))").path
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }
}
