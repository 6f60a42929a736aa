/// How a Teleport user is found in the on-call lists, which hold e-mail addresses, under the
/// configured `ApprovalIdentity`.
public enum OnCallIdentity {
    /// The lower-cased address to look for, or nil with why none can be derived.
    public static func address(for user: String, identity: ApprovalIdentity, traits: [String: [String]]?,
                               emailDomain: String?) -> Result<String, Unknown> {
        switch identity {
        case .user:
            guard isEmail(user) else {
                return .failure(Unknown(reason: "the user name \(user) is not an e-mail address, and on-call lists hold e-mail addresses "
                    + "(auto_approval.identity email_trait or email_domain would opt in to a wider match)"))
            }
            return .success(user.lowercased())
        case .emailTrait:
            guard let email = traits?["email"]?.first(where: isEmail) else {
                return .failure(Unknown(reason: "\(user) has no user manifest with an e-mail address in its email trait"))
            }
            return .success(email.lowercased())
        case .emailDomain:
            if isEmail(user) { return .success(user.lowercased()) }
            guard let emailDomain, !emailDomain.isEmpty else {
                return .failure(Unknown(reason: "no auto_approval.email_domain is configured"))
            }
            let domain = emailDomain.hasPrefix("@") ? String(emailDomain.dropFirst()) : emailDomain
            return .success("\(user)@\(domain)".lowercased())
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
