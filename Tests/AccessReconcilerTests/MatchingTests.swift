import AccessReconciler
import Testing

@Suite("Teleport's matching rules")
struct MatchingTests {
    struct MatcherCase: CustomTestStringConvertible, Sendable {
        let pattern: String
        let role: String
        let matches: Bool
        var testDescription: String { "\(pattern) \(matches ? "matches" : "does not match") \(role)" }
    }

    static let matcherCases: [MatcherCase] = [
        .init(pattern: "editor", role: "editor", matches: true),
        .init(pattern: "editor", role: "editor-2", matches: false),
        .init(pattern: "editor", role: "Editor", matches: false),
        .init(pattern: "*", role: "anything", matches: true),
        .init(pattern: "db-*", role: "db-reader", matches: true),
        .init(pattern: "db-*", role: "db-", matches: true),
        .init(pattern: "db-*", role: "xdb-reader", matches: false),
        .init(pattern: "db-*-prod", role: "db-writer-prod", matches: true),
        .init(pattern: "db-*-prod", role: "db-writer-staging", matches: false),
        .init(pattern: "a.b", role: "axb", matches: false),
        .init(pattern: "^db-(reader|writer)$", role: "db-writer", matches: true),
        .init(pattern: "^db-(reader|writer)$", role: "db-admin", matches: false),
        .init(pattern: "^db-.*$", role: "db-x", matches: true),
        .init(pattern: "{{regexp.match(\"^db-\")}}", role: "db-writer", matches: true),
        .init(pattern: "{{regexp.match(\"reader\")}}", role: "db-reader-1", matches: true),
        .init(pattern: "{{regexp.match(\"^db-\")}}", role: "web", matches: false),
        .init(pattern: "{{regexp.not_match(\"prod\")}}", role: "db-staging", matches: true),
        .init(pattern: "{{regexp.not_match(\"prod\")}}", role: "db-prod", matches: false),
        .init(pattern: "team-{{regexp.match(\"^[a-z]+$\")}}-admin", role: "team-payments-admin", matches: true),
        .init(pattern: "team-{{regexp.match(\"^[a-z]+$\")}}-admin", role: "team-pay2-admin", matches: false),
        .init(pattern: "team-{{regexp.match(\"^[a-z]+$\")}}-admin", role: "payments-admin", matches: false),
    ]

    @Test("role matchers", arguments: matcherCases)
    func roleMatcher(_ testCase: MatcherCase) throws {
        #expect(try RoleMatcher(testCase.pattern).matches(testCase.role) == testCase.matches)
    }

    @Test("invalid matchers are errors naming the pattern",
          arguments: ["^(db$", "{{regexp.match(\"x\")", "{{internal.logins}}", "{{regexp.replace(\"a\", \"b\")}}", "a}}b"])
    func invalidMatcher(_ pattern: String) {
        let error = #expect(throws: PatternError.self) { try RoleMatcher(pattern) }
        #expect(error?.pattern == pattern)
    }

    struct TemplateCase: Sendable, CustomTestStringConvertible {
        let template: String
        let traits: [String: [String]]
        let expected: [String]?
        var testDescription: String { "\(template) → \(expected.map { $0.description } ?? "skipped")" }
    }

    static let templateCases: [TemplateCase] = [
        .init(template: "fixed-schedule", traits: [:], expected: ["fixed-schedule"]),
        .init(template: "{{external.team}}", traits: ["team": ["payments", "infra"]], expected: ["payments", "infra"]),
        .init(template: "{{internal.logins}}", traits: ["logins": ["root"]], expected: ["root"]),
        .init(template: "{{ external.team }}-oncall", traits: ["team": ["payments"]], expected: ["payments-oncall"]),
        .init(template: "sched-{{external[\"team name\"]}}", traits: ["team name": ["a b"]], expected: ["sched-a b"]),
        .init(template: "{{email.local(external.email)}}", traits: ["email": ["Alice@example.com"]], expected: ["Alice"]),
        .init(template: "{{external.team}}", traits: [:], expected: nil),
        .init(template: "{{external.team}}", traits: ["team": []], expected: nil),
    ]

    @Test("annotation values expand from traits; a missing trait skips the value", arguments: templateCases)
    func traitTemplate(_ testCase: TemplateCase) throws {
        #expect(try TraitTemplate(testCase.template).expand(with: testCase.traits) == testCase.expected)
    }

    @Test("claims_to_roles maps trait values to roles, with captures taken literally")
    func claimsToRoles() throws {
        let role = Role(name: "claims", allowRequest: RequestConditions(claimsToRoles: [
            ClaimMapping(claim: "groups", value: try ClaimPattern("eng-*"), roles: ["dev-$1"]),
            ClaimMapping(claim: "groups", value: try ClaimPattern("^ops$"), roles: ["ops-*"]),
        ]))
        let engineer = RequestAccess(roles: [role], traits: ["groups": ["eng-payments"]])
        #expect(engineer.canRequest("dev-payments"))
        #expect(!engineer.canRequest("dev-infra"))
        #expect(!engineer.canRequest("ops-admin"))
        let operatorAccess = RequestAccess(roles: [role], traits: ["groups": ["ops"]])
        #expect(operatorAccess.canRequest("ops-admin"), "a role without captures keeps its glob")
        let regexGroup = RequestAccess(roles: [role], traits: ["groups": ["eng-.*"]])
        #expect(regexGroup.canRequest("dev-.*") && !regexGroup.canRequest("dev-anything"),
                "an expanded role name is matched literally, never as a pattern")
    }

    @Test("deny beats allow, across roles")
    func denyBeatsAllow() throws {
        let allow = Role(name: "allow", allowRequest: RequestConditions(roles: [try RoleMatcher("db-*")]))
        let deny = Role(name: "deny", denyRequest: RequestConditions(roles: [try RoleMatcher("{{regexp.match(\"prod$\")}}")]))
        let access = RequestAccess(roles: [allow, deny], traits: [:])
        #expect(access.canRequest("db-staging"))
        #expect(!access.canRequest("db-prod"))
        #expect(!access.roleAllows(allow, "db-prod"))
    }

    @Test("deny rules from claims_to_roles apply too")
    func denyFromClaims() throws {
        let allow = Role(name: "allow", allowRequest: RequestConditions(roles: [try RoleMatcher("*")]))
        let deny = Role(name: "deny", denyRequest: RequestConditions(claimsToRoles: [
            ClaimMapping(claim: "contractor", value: try ClaimPattern("true"), roles: ["admin"]),
        ]))
        #expect(!RequestAccess(roles: [allow, deny], traits: ["contractor": ["true"]]).canRequest("admin"))
        #expect(RequestAccess(roles: [allow, deny], traits: ["contractor": ["false"]]).canRequest("admin"))
    }

    @Test("durations are read as Teleport writes them")
    func durations() {
        #expect(GoDuration.seconds("8h") == 28_800)
        #expect(GoDuration.seconds("1h30m") == 5_400)
        #expect(GoDuration.seconds("1.5h") == 5_400)
        #expect(GoDuration.seconds("90s") == 90)
        #expect(GoDuration.seconds("250ms") == 0.25)
        #expect(GoDuration.seconds("2d") == 172_800)
        #expect(GoDuration.seconds("never") == 0)
        #expect(GoDuration.seconds("8 hours") == nil)
        #expect(GoDuration.seconds("h") == nil)
        #expect(GoDuration.format(5_400) == "1h30m")
    }

    @Test("responders: a UUID is an id, anything else a name")
    func responderIdentifiers() {
        #expect(Responder(kind: .team, value: "4513B7EA-3B91-438F-B7E4-E3E54AF9147C") == Responder(kind: .team, id: "4513b7ea-3b91-438f-b7e4-e3e54af9147c"))
        #expect(Responder(kind: .schedule, value: "dba-oncall") == Responder(kind: .schedule, name: "dba-oncall"))
        #expect(Responder(kind: .schedule, value: "4513b7ea-3b91-438f-b7e4") == Responder(kind: .schedule, name: "4513b7ea-3b91-438f-b7e4"))
    }

    @Test("the requester's on-call address: the user name by default; the email trait or the domain only when chosen; lower-cased")
    func onCallIdentity() throws {
        func address(_ user: String, _ identity: ApprovalIdentity, traits: [String: [String]]? = nil, domain: String? = nil) -> String? {
            try? OnCallIdentity.address(for: user, identity: identity, traits: traits, emailDomain: domain).get()
        }
        let traits = ["email": ["Bob.B@Example.com"]]
        #expect(address("Alice@Example.com", .user) == "alice@example.com")
        #expect(address("bob", .user, traits: traits, domain: "corp.com") == nil, "by default neither the trait nor the domain stands in")
        #expect(address("bob", .emailTrait, traits: traits) == "bob.b@example.com")
        #expect(address("bob", .emailTrait, traits: ["email": ["not an address"]]) == nil)
        #expect(address("carol", .emailDomain, domain: "@corp.com") == "carol@corp.com")
        #expect(address("Carol@Example.com", .emailDomain, domain: "corp.com") == "carol@example.com")
        #expect(address("carol", .emailDomain) == nil)
        let reason = try #require(OnCallIdentity.address(for: "bob", identity: .user, traits: traits, emailDomain: nil).failureReason)
        #expect(reason.contains("not an e-mail address") && reason.contains("email_trait or email_domain"))
    }
}

extension Result where Failure == OnCallIdentity.Unknown {
    var failureReason: String? {
        if case let .failure(unknown) = self { return unknown.reason }
        return nil
    }
}
