/// How a Teleport user is found in Opsgenie's on-call lists, which hold e-mail addresses: the user
/// name if it is one, else the user's `email` trait, else the name at the configured domain.
public enum OnCallIdentity {
    /// The lower-cased address to look for, or nil when none can be derived.
    public static func address(for user: String, traits: [String: [String]]?, emailDomain: String?) -> String? {
        if isEmail(user) { return user.lowercased() }
        if let email = traits?["email"]?.first(where: isEmail) { return email.lowercased() }
        if let emailDomain, !emailDomain.isEmpty {
            let domain = emailDomain.hasPrefix("@") ? String(emailDomain.dropFirst()) : emailDomain
            return "\(user)@\(domain)".lowercased()
        }
        return nil
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
