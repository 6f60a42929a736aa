import Foundation
import ReconcilerTesting
@testable import TeleportClient
import Testing

@Suite("Identity files")
struct IdentityFileTests {
    let authority: TestCertificateAuthority
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("identity-tests-\(UUID().uuidString)")

    init() throws {
        authority = try TestCertificateAuthority(cluster: "teleport.example.com")
    }

    @Test("Teleport's layout: key, SSH certificate, TLS certificate, CA lines, TLS CAs")
    func parse() throws {
        let other = try TestCertificateAuthority(cluster: "leaf.example.com")
        let path = try authority.writeIdentityFile(user: "access-reconciler", directory: directory, trusting: [authority, other])
        let identity = try IdentityFile.load(path: path)
        #expect(identity.user == "access-reconciler")
        #expect(identity.issuingCluster == "teleport.example.com")
        #expect(identity.certificateAuthoritiesPEM.count == 2)
        #expect(identity.sshCertificateAuthorities.count == 2)
        #expect(identity.sshCertificate.hasPrefix("ssh-ed25519-cert-v01@openssh.com "))
        #expect(identity.privateKeyPEM.hasPrefix("-----BEGIN") && identity.privateKeyPEM.contains("PRIVATE KEY-----"))
    }

    @Test("a missing SSH certificate line may come from <path>-cert.pub, else it is an error")
    func sshFallback() throws {
        let path = try authority.writeIdentityFile(user: "bot", directory: directory)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let withoutSSH = text.split(separator: "\n").filter { !$0.hasPrefix("ssh-") }.joined(separator: "\n") + "\n"
        let stripped = path + "-nossh"
        try withoutSSH.write(toFile: stripped, atomically: true, encoding: .utf8)
        let error = #expect(throws: IdentityFileError.self) { try IdentityFile.load(path: stripped) }
        #expect(error?.description.contains("no SSH certificate line found") == true)
        try "ssh-rsa-cert-v01@openssh.com AAAA bot\n".write(toFile: stripped + "-cert.pub", atomically: true, encoding: .utf8)
        #expect(try IdentityFile.load(path: stripped).sshCertificate.hasPrefix("ssh-rsa-cert-v01@openssh.com"))
    }

    @Test("broken files say what is wrong", arguments: [
        ("-----BEGIN " + "PRIVATE KEY-----\nabc\n", "a PEM block is not terminated"),  // a block cut short, no key in it
        ("just some text\n", "no private key and no TLS certificate found"),
        ("", "no private key and no TLS certificate found"),
    ])
    func broken(_ text: String, _ problem: String) throws {
        let error = #expect(throws: IdentityFileError.self) { try IdentityFile(text: text, source: "identity") }
        #expect(error?.description == "identity: not a usable Teleport identity file: \(problem)")
    }

    @Test("a missing file is named")
    func missing() {
        #expect(throws: IdentityFileError.unreadable("/nonexistent/identity")) { try IdentityFile.load(path: "/nonexistent/identity") }
    }

    @Test("SSH certificate types are recognised as Teleport recognises them")
    func sshTypes() {
        #expect(IdentityFile.isSSHCertificateType("ssh-ed25519-cert-v01@openssh.com"))
        #expect(IdentityFile.isSSHCertificateType("ecdsa-sha2-nistp256-cert-v01@openssh.com"))
        #expect(!IdentityFile.isSSHCertificateType("ssh-ed25519"))
        #expect(!IdentityFile.isSSHCertificateType("ssh-ed25519-cert-v1@openssh.com"))
        #expect(!IdentityFile.isSSHCertificateType("SSH-ed25519-cert-v01@openssh.com"))
    }

    @Test("the ALPN routing entry is teleport-auth@ + hex(cluster) + .teleport.cluster.local")
    func routingProtocol() {
        #expect(TeleportTLS.authRoutingProtocol(cluster: "teleport.example.com")
            == "teleport-auth@74656c65706f72742e6578616d706c652e636f6d.teleport.cluster.local")
        #expect(TeleportTLS.applicationProtocols(proxyCluster: "a") == ["teleport-auth@61.teleport.cluster.local", "h2"])
        #expect(TeleportTLS.applicationProtocols(proxyCluster: nil) == ["h2"])
    }

    @Test("addresses: host:port, a default port of 3025, and the route it implies")
    func addresses() throws {
        var configuration = TeleportClientConfiguration(address: "teleport.example.com:443", identityFile: "x")
        #expect(try configuration.hostAndPort() == ("teleport.example.com", 443))
        #expect(try configuration.usesProxy())
        configuration.address = "auth.example.com"
        #expect(try configuration.hostAndPort() == ("auth.example.com", 3025))
        #expect(try !configuration.usesProxy())
        configuration.address = "[::1]:3025"
        #expect(try configuration.hostAndPort() == ("::1", 3025))
        configuration.address = "host:notaport"
        #expect(throws: TeleportError.self) { try configuration.hostAndPort() }
    }
}
