/// What the manifests route where: for each requestable role, the schedules and teams an alert
/// notifies, the schedules checked for auto-approval, and who can request it. `validate` prints it.
public struct RoutingTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        /// The requestable role.
        public var role: String
        /// Roles whose `allow.request` grants it.
        public var grantedBy: [String]
        public var notifySchedules: [String]
        public var teams: [String]
        public var approvalSchedules: [String]
        /// Users (from the user manifests) who can request it.
        public var users: [String]
        public var defaultSchedulesUsed: Bool
        public var defaultTeamsUsed: Bool
    }

    public var rows: [Row]

    public init(manifests: ManifestSet, policy: PlanningPolicy) {
        let resolver = AnnotationResolver(manifests: manifests)
        let roles = manifests.roles.values.sorted { $0.name < $1.name }
        var candidates = Set(manifests.roles.keys)
        for role in roles {
            for matcher in (role.allowRequest?.roles ?? []) + (role.allowRequest?.searchAsRoles ?? []) {
                if let name = matcher.literalName { candidates.insert(name) }
            }
        }
        var rows: [Row] = []
        for candidate in candidates.sorted() {
            var users: [String] = []
            var annotations: [String: Set<String>] = [:]
            var grantedBy = Set<String>()
            for user in manifests.users.values.sorted(by: { $0.name < $1.name }) {
                let held = user.roles.compactMap { manifests.roles[$0] }
                let access = RequestAccess(roles: held, traits: user.traits)
                guard access.canRequest(candidate) else { continue }
                users.append(user.name)
                grantedBy.formUnion(held.filter { access.roleAllows($0, candidate) }.map(\.name))
                for (key, values) in resolver.resolve(user: user, requestedRoles: [candidate]).annotations {
                    annotations[key, default: []].formUnion(values)
                }
            }
            if users.isEmpty {
                // Nobody in the user manifests can request it: show what the roles alone give.
                let direct = roles.filter { RequestAccess(roles: [$0], traits: [:]).canRequest(candidate) }
                guard !direct.isEmpty else { continue }
                grantedBy.formUnion(direct.map(\.name))
                let holder = User(name: "", roles: direct.map(\.name))
                for (key, values) in resolver.resolve(user: holder, requestedRoles: [candidate]).annotations {
                    annotations[key, default: []].formUnion(values)
                }
            }
            let flattened = annotations.mapValues { $0.sorted() }
            let routing = Routing(annotations: flattened, policy: policy)
            rows.append(Row(role: candidate, grantedBy: grantedBy.sorted(),
                            notifySchedules: routing.responders.filter { $0.kind == .schedule }.map(\.identifier),
                            teams: routing.responders.filter { $0.kind == .team }.map(\.identifier),
                            approvalSchedules: routing.approvalSchedules, users: users,
                            defaultSchedulesUsed: routing.usesDefaultSchedules, defaultTeamsUsed: routing.usesDefaultTeams))
        }
        self.rows = rows
    }

    /// A plain-text table, one block per requestable role.
    public func render() -> String {
        guard !rows.isEmpty else { return "No requestable roles: no role manifest has an allow.request block.\n" }
        var lines: [String] = ["Routing table (\(rows.count) requestable role\(rows.count == 1 ? "" : "s")):"]
        for row in rows {
            lines.append("")
            lines.append("role \(row.role)")
            lines.append("  granted by:          \(list(row.grantedBy))")
            lines.append("  notify schedules:    \(list(row.notifySchedules))\(row.defaultSchedulesUsed ? " (default)" : "")")
            lines.append("  notify teams:        \(list(row.teams))\(row.defaultTeamsUsed ? " (default)" : "")")
            lines.append("  auto-approval from:  \(list(row.approvalSchedules))")
            lines.append("  requestable by:      \(row.users.isEmpty ? "(no user manifest)" : row.users.joined(separator: ", "))")
            if row.notifySchedules.isEmpty && row.teams.isEmpty {
                lines.append("  warning: no route; requests for this role create no alert")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func list(_ values: [String]) -> String { values.isEmpty ? "-" : values.joined(separator: ", ") }
}
