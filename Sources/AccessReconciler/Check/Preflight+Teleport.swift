import Foundation

/// `check`'s Teleport lines: the identity, the connection, what the identity may list and read,
/// and what its roles (read from the cluster) let it do.
extension Preflight {
    func checkTeleport(table: RoutingTable, now: Date) async -> ([CheckLine], cluster: String?) {
        let teleport: any TeleportPreflight
        do {
            teleport = try self.teleport.get()
        } catch {
            return ([CheckLine(.teleport, "teleport.identity", .failed, "Teleport identity and address: \(error)",
                               fix: "set \(settings.flag("teleport.addr")) and \(settings.flag("teleport.identity_file")) to the cluster's address and a current identity file (tctl auth sign, or Machine ID)")]
                    + notChecked(["teleport.connection"] + Self.teleportCallChecks, "the Teleport client could not be set up"), nil)
        }
        var lines: [CheckLine] = []
        let identity = teleport.identitySummary
        let left = identity.expires.duration(since: now)
        let roles = identity.roles.isEmpty ? "no roles" : "roles \(identity.roles.joined(separator: ", "))"
        lines.append(CheckLine(.teleport, "teleport.identity", .passed,
                               "identity \(identity.source): user \(identity.user), \(roles); certificate valid until \(ISO8601DateFormatter().string(from: identity.expires)) (\(GoDuration.format(max(0, left.timeInterval.rounded(.down)))) left)",
                               warning: left < Self.expiryWarning ? "the certificate expires within an hour: make sure Machine ID (tbot) renews it, or issue a new one" : nil))
        let cluster: String
        do {
            let info = try await teleport.serverInfo()
            cluster = info.cluster
            lines.append(CheckLine(.teleport, "teleport.connection", .passed,
                                   "connected to \(teleport.route): cluster \(info.cluster), Teleport \(info.version) (supported)"))
        } catch {
            lines.append(CheckLine(.teleport, "teleport.connection", .failed, "connect to \(teleport.route): \(error)",
                                   fix: "check the address and \(settings.flag("teleport.route")) (3025: the Auth Service; 443 or 3080: a Proxy with TLS routing), and that the identity file is from this cluster"))
            return (lines + notChecked(Self.teleportCallChecks, "Teleport could not be reached"), nil)
        }
        lines.append(Self.probeLine(.teleport, "teleport.list-requests", await teleport.probeRequestListing(),
                                    passed: "may list access requests",
                                    what: "list access requests",
                                    fix: "give the job's role `rules: [{resources: [access_request], verbs: [list, read]}]` (deploy/teleport/access-reconciler-role.yaml)"))
        let plugin = (try? alerts.get().pluginName) ?? "the job's plugin"
        lines.append(Self.probeLine(.teleport, "teleport.read-plugin-data", await teleport.probePluginData(plugin: plugin),
                                    passed: "may read plugin data (\(plugin))",
                                    what: "read plugin data",
                                    fix: "give the job's role `rules: [{resources: [access_request], verbs: [list, read]}]`: plugin data is read with the request's rights"))
        let (permissions, rolesLine) = await readRoles(of: identity, from: teleport)
        lines.append(rolesLine)
        lines.append(ruleLine(permissions, check: "teleport.update-plugin-data", resource: "access_plugin_data", verb: "update",
                              what: "update plugin data (where the job records each alert)"))
        if configuration.autoApproval.enabled && configuration.autoApproval.identity == .emailTrait {
            lines.append(ruleLine(permissions, check: "teleport.read-users", resource: "user", verb: "read",
                                  what: "read users (auto_approval.identity email_trait reads the requester's live email trait)"))
        }
        lines.append(reviewLine(permissions, table: table))
        return (lines, cluster)
    }

    /// The Teleport checks that need an answer from the cluster.
    static let teleportCallChecks = ["teleport.list-requests", "teleport.read-plugin-data", "teleport.roles", "teleport.update-plugin-data", "teleport.review"]

    /// The identity's roles as the cluster has them; a role that cannot be read live is taken
    /// from the manifests, and said so.
    func readRoles(of identity: PreflightIdentity, from teleport: any TeleportPreflight) async -> (JobRolePermissions, CheckLine) {
        var defined: [Role] = []
        var undefined: [String] = []
        var fromManifests: [String] = []
        var problems: [String] = []
        for name in identity.roles {
            do {
                if let role = try await teleport.role(named: name) {
                    defined.append(role)
                    continue
                }
                problems.append("\(name): the cluster has no such role")
            } catch {
                problems.append("\(name): \(error)")
            }
            if let role = manifests.roles[name] {
                defined.append(role)
                fromManifests.append(name)
            } else {
                undefined.append(name)
            }
        }
        let permissions = JobRolePermissions(defined: defined, undefined: undefined)
        guard !identity.roles.isEmpty else {
            return (permissions, CheckLine(.teleport, "teleport.roles", .failed, "the identity's certificate names no role",
                                           fix: "issue the identity for a user that holds the job's role (deploy/teleport/access-reconciler-role.yaml)"))
        }
        guard !problems.isEmpty else {
            return (permissions, CheckLine(.teleport, "teleport.roles", .passed, "read the identity's roles from the cluster: \(identity.roles.joined(separator: ", "))"))
        }
        let fallback = fromManifests.isEmpty ? "" : "; used the manifests' definition of \(fromManifests.joined(separator: ", "))"
        return (permissions, CheckLine(.teleport, "teleport.roles", .undecided, "could not read role(s) from the cluster: \(problems.joined(separator: "; "))\(fallback)",
                                       fix: "a user may always read the roles it holds; check that the cluster answers GetRole (Teleport 13 or later)"))
    }

    func ruleLine(_ permissions: JobRolePermissions, check: String, resource: String, verb: String, what: String) -> CheckLine {
        let fix = "give one of the job's roles `rules: [{resources: [\(resource)], verbs: [\(verb)]}]` and no deny rule for it"
        switch permissions.rule(resource: resource, verb: verb) {
        case .passed:
            return CheckLine(.teleport, check, .passed, "may \(what): the job's roles allow \(verb) on \(resource)")
        case .failed:
            return CheckLine(.teleport, check, .failed, "may not \(what): no role of the job's allows \(verb) on \(resource), or one denies it", fix: fix)
        case .undecided:
            return CheckLine(.teleport, check, .undecided, "may \(what)? " + undecidedReason(permissions),
                             fix: "cannot be checked without writing; read the roles with `tctl get role/NAME` and look for \(verb) on \(resource)")
        }
    }

    func undecidedReason(_ permissions: JobRolePermissions) -> String {
        permissions.undefined.isEmpty
            ? "a `where:` predicate or claims_to_roles in the job's roles decides it, which only Teleport evaluates"
            : "the job's role(s) \(permissions.undefined.joined(separator: ", ")) could be read neither from the cluster nor from the manifests"
    }

    /// The requestable roles with auto-approval schedules, within `auto_approval.roles`: the job
    /// must be able to review each of them, or an on-call requester waits for a person.
    func reviewLine(_ permissions: JobRolePermissions, table: RoutingTable) -> CheckLine {
        let policy = configuration.autoApproval
        guard policy.enabled else {
            return CheckLine(.teleport, "teleport.review", .passed, "auto-approval is off: the job reviews no request")
        }
        let wanted = table.rows.filter { row in
            !row.approvalSchedules.isEmpty && (policy.roles.isEmpty || policy.roles.contains { $0.matches(row.role) })
        }.map(\.role)
        guard !wanted.isEmpty else {
            return CheckLine(.teleport, "teleport.review", .passed, "no requestable role has an auto-approval schedule: the job reviews no request")
        }
        let verdicts = Dictionary(grouping: wanted) { permissions.review($0) }
        if let refused = verdicts[.failed] {
            return CheckLine(.teleport, "teleport.review", .failed,
                             "may not review \(refused.joined(separator: ", ")), which have auto-approval schedules: their on-call requesters would not be approved",
                             fix: "add them to `review_requests.roles` of the job's role, or leave them out of auto_approval.roles")
        }
        if let unknown = verdicts[.undecided] {
            return CheckLine(.teleport, "teleport.review", .undecided, "may review \(unknown.joined(separator: ", "))? " + undecidedReason(permissions),
                             fix: "read `review_requests` of the job's roles with `tctl get role/NAME`")
        }
        return CheckLine(.teleport, "teleport.review", .passed, "may review every role with an auto-approval schedule: \(wanted.joined(separator: ", "))")
    }
}
