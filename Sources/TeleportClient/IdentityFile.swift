import Foundation
import X509
import SwiftASN1

/// A Teleport identity file, as `tctl auth sign --format=file` and Machine ID write it: a private key,
/// an SSH certificate line, a TLS client certificate, `@cert-authority` lines and the cluster's TLS
/// CA certificates. Read the way Teleport reads it: line by line, PEM blocks in order (key, client
/// certificate, then CAs), the last SSH certificate line wins, other lines ignored.
public struct IdentityFile: Sendable {
    /// The private key, PEM.
    public var privateKeyPEM: String
    /// The TLS client certificate, PEM.
    public var certificatePEM: String
    /// The cluster's TLS CA certificates, PEM, one per entry.
    public var certificateAuthoritiesPEM: [String]
    /// The SSH user certificate line (not used over gRPC, but required by Teleport's reader).
    public var sshCertificate: String
    /// The `@cert-authority` lines.
    public var sshCertificateAuthorities: [String]

    /// The client certificate, parsed.
    public let certificate: Certificate

    /// Parses identity-file text. `source` names the file in errors.
    public init(text: String, source: String, sshCertificateFallback: String? = nil) throws {
        var blocks: [String] = []
        var current: [String]?
        var sshCertificate: String?
        var sshAuthorities: [String] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if var block = current {
                block.append(line)
                if line.hasPrefix("-----END") {
                    blocks.append(block.joined(separator: "\n") + "\n")
                    current = nil
                } else {
                    current = block
                }
                continue
            }
            if line.hasPrefix("-----BEGIN") {
                current = [line]
            } else if line.hasPrefix("@cert-authority") {
                sshAuthorities.append(line)
            } else if let first = line.split(separator: " ").first, Self.isSSHCertificateType(String(first)) {
                sshCertificate = line
            }
        }
        guard current == nil else { throw IdentityFileError.malformed(source, "a PEM block is not terminated") }
        guard blocks.count >= 2 else {
            throw IdentityFileError.malformed(source, blocks.isEmpty ? "no private key and no TLS certificate found" : "no TLS certificate found after the private key")
        }
        guard let ssh = sshCertificate ?? sshCertificateFallback else {
            throw IdentityFileError.malformed(source, "no SSH certificate line found (is this an identity file from tctl auth sign --format=file?)")
        }
        guard blocks[0].contains("PRIVATE KEY") else { throw IdentityFileError.malformed(source, "the first PEM block is not a private key") }
        guard blocks[1].contains("BEGIN CERTIFICATE") else { throw IdentityFileError.malformed(source, "the second PEM block is not a certificate") }
        guard blocks.count >= 3 else { throw IdentityFileError.malformed(source, "no TLS CA certificate: the cluster's certificate authority cannot be trusted") }
        privateKeyPEM = blocks[0]
        certificatePEM = blocks[1]
        certificateAuthoritiesPEM = Array(blocks.dropFirst(2))
        self.sshCertificate = ssh
        sshCertificateAuthorities = sshAuthorities
        do {
            certificate = try Certificate(pemEncoded: blocks[1])
        } catch {
            throw IdentityFileError.malformed(source, "the TLS certificate cannot be read (\(error))")
        }
    }

    /// Reads an identity file; an SSH certificate missing from it may stand in `<path>-cert.pub`.
    public static func load(path: String) throws -> IdentityFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IdentityFileError.unreadable(path)
        }
        let fallback = FileManager.default.contents(atPath: path + "-cert.pub")
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        return try IdentityFile(text: String(decoding: data, as: UTF8.self), source: path, sshCertificateFallback: fallback)
    }

    /// The Teleport user the certificate was issued to (its subject's common name): the author of
    /// the job's reviews.
    public var user: String {
        certificate.subject.commonName ?? ""
    }

    /// The roles the certificate carries: Teleport writes each into the subject's organization.
    public var roles: [String] {
        var roles: [String] = []
        for relative in certificate.subject {
            for attribute in relative where attribute.type == .RDNAttributeType.organizationName {
                if let role = String(attribute.value) { roles.append(role) }
            }
        }
        return roles
    }

    /// The cluster that issued the certificate: its issuer's common name, as Teleport names its
    /// certificate authorities after the cluster.
    public var issuingCluster: String {
        certificate.issuer.commonName ?? ""
    }

    /// When the client certificate expires.
    public var expires: Date { certificate.notValidAfter }

    /// Fails, saying when, if the certificate is expired or not yet valid at `now`.
    public func checkValidity(at now: Date, source: String) throws {
        if certificate.notValidAfter <= now {
            throw IdentityFileError.expired(source, certificate.notValidAfter)
        }
        if certificate.notValidBefore > now {
            throw IdentityFileError.notYetValid(source, certificate.notValidBefore)
        }
    }

    /// `<lowercase letters, digits, ->-cert-v<two digits>@openssh.com`, Teleport's test for an SSH
    /// certificate type.
    static func isSSHCertificateType(_ token: String) -> Bool {
        guard token.hasSuffix("@openssh.com"), let range = token.range(of: "-cert-v") else { return false }
        let prefix = token[..<range.lowerBound]
        let version = token[range.upperBound...].dropLast("@openssh.com".count)
        return !prefix.isEmpty && prefix.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            && version.count == 2 && version.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// Why an identity file cannot be used.
public enum IdentityFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case malformed(String, String)
    case expired(String, Date)
    case notYetValid(String, Date)

    public var description: String {
        switch self {
        case let .unreadable(path):
            return "\(path): cannot read the Teleport identity file"
        case let .malformed(path, problem):
            return "\(path): not a usable Teleport identity file: \(problem)"
        case let .expired(path, date):
            return "\(path): the Teleport identity expired at \(ISO8601DateFormatter().string(from: date)); issue a new one (tctl auth sign, or check that tbot is renewing it)"
        case let .notYetValid(path, date):
            return "\(path): the Teleport identity is not valid before \(ISO8601DateFormatter().string(from: date)); check this machine's clock"
        }
    }
}

extension DistinguishedName {
    /// The first common name, as its raw value. Never the escaped string form of the name
    /// (`alice\+ops@…`): Teleport compares a review's author with the caller's name exactly, and
    /// takes that name from the raw attribute. Nil when there is none, or it is not text.
    public var commonName: String? {
        for relative in self {
            for attribute in relative where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }
}
