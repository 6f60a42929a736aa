import AccessReconciler

/// The users file: a YAML map from Atlassian account id to e-mail address, for sites whose users
/// hide their address from the user API.
///
/// ```yaml
/// 5b2b0e011b3a756623f4e25e: alice@example.com
/// ```
enum JSMUsersFile {
    static func read(path: String) throws -> [String: String] {
        let documents = try YAMLDocumentReader.read(file: path)
        guard let root = documents.first?.root, !root.isNull else { return [:] }
        documents[0].describe(as: "")
        var result: [String: String] = [:]
        for (account, value) in try root.mapping() {
            let email = try value.string()
            guard email.contains("@") else { throw value.invalid("expected an e-mail address") }
            result[account] = email
        }
        return result
    }
}
