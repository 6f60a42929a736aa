/// How a Teleport user is found in the on-call lists, which hold e-mail addresses, under the
/// configured `ApprovalIdentity`.
public enum OnCallIdentity {
    /// The address to look for, in `comparable` form, or why none can be derived. `traitsSource`
    /// names where `traits` came from, for the reason (the user's manifest unless said).
    public static func address(for user: String, identity: ApprovalIdentity, traits: [String: [String]]?,
                               traitsSource: String? = nil, emailDomain: String?) -> Result<String, Unknown> {
        derivedAddress(for: user, identity: identity, traits: traits, traitsSource: traitsSource ?? "the user manifest of \(user)",
                       emailDomain: emailDomain).flatMap { address in
            guard let comparable = comparable(address) else {
                return .failure(Unknown(reason: "\(address) has a character outside ASCII; identities are compared as ASCII bytes "
                    + "(Teleport compares user names as bytes), so it matches nobody"))
            }
            return .success(comparable)
        }
    }

    /// The form in which the requester and the people on call are compared: ASCII letters folded
    /// to lower case and every other byte as it is; nil for text with any character outside ASCII.
    /// Teleport's plugin compares exactly, with case; the job folds ASCII case because e-mail
    /// addresses are written with either case, but never folds more: Unicode case folding and
    /// Swift's `String ==` (canonical equivalence) would make `\u{212A}ate@x.com` (KELVIN SIGN),
    /// `KATE@x.com` and `kate@x.com` one person, where Teleport sees three users. Two ASCII
    /// strings are equal as Swift strings exactly when their bytes are.
    public static func comparable(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// People on call in `comparable` form; anyone written with a character outside ASCII is left
    /// out, since they can match nobody.
    public static func comparable(_ people: [String]) -> Set<String> {
        Set(people.compactMap { comparable($0) })
    }

    private static func derivedAddress(for user: String, identity: ApprovalIdentity, traits: [String: [String]]?,
                                       traitsSource: String, emailDomain: String?) -> Result<String, Unknown> {
        switch identity {
        case .user:
            guard isEmail(user) else {
                return .failure(Unknown(reason: "the user name \(user) is not an e-mail address, and on-call lists hold e-mail addresses "
                    + "(auto_approval.identity email_trait or email_domain would opt in to a wider match)"))
            }
            return .success(user)
        case .emailTrait:
            guard let traits else { return .failure(Unknown(reason: "\(user) has no user manifest, so no email trait")) }
            guard let email = traits["email"]?.first(where: isEmail) else {
                return .failure(Unknown(reason: "\(traitsSource) has no e-mail address in its email trait"))
            }
            return .success(email)
        case .emailDomain:
            if isEmail(user) { return .success(user) }
            guard let emailDomain, !emailDomain.isEmpty else {
                return .failure(Unknown(reason: "no auto_approval.email_domain is configured"))
            }
            let domain = emailDomain.hasPrefix("@") ? String(emailDomain.dropFirst()) : emailDomain
            return .success("\(user)@\(domain)")
        }
    }

    /// Why no address could be derived.
    public struct Unknown: Error, Sendable, Hashable {
        public var reason: String
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
