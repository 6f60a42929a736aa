import Foundation

/// `check`'s alert-service lines: the credentials and the job's listing query, the schedules and
/// teams the routing names, the on-call lists, and the write permissions (undecidable read-only).
extension Preflight {
    func checkAlerting(table: RoutingTable, cluster: String?, now: Date) async -> [CheckLine] {
        let alerts: any AlertServicePreflight
        do {
            alerts = try self.alerts.get()
        } catch {
            return [CheckLine(.alerting, "alerting.credentials", .failed, "\(alertServiceName) settings: \(error)",
                              fix: "set the service's URL and key or token as the README's settings table says")]
        }
        var lines: [CheckLine] = []
        let tags = [configuration.ownerTag] + (cluster.map { [AlertDetails.clusterTag($0, limit: alerts.tagLimit)] } ?? [])
        switch await alerts.probeListing(taggedWith: tags) {
        case .accepted:
            lines.append(CheckLine(.alerting, "alerting.credentials", .passed, "the credentials are accepted"))
            lines.append(CheckLine(.alerting, "alerting.listing-query", .passed, "the job's listing query is accepted (tags \(tags.joined(separator: ", ")), one alert)"))
        case let .refused(reason):
            lines.append(CheckLine(.alerting, "alerting.credentials", .failed, "the credentials are refused: \(reason)",
                                   fix: "check the key or token and its account; the README's settings table names where each is read"))
            return lines + notChecked(["alerting.listing-query", "alerting.responders", "alerting.on-call"], "the credentials are refused", area: .alerting)
        case let .invalid(reason):
            lines.append(CheckLine(.alerting, "alerting.credentials", .passed, "the credentials are accepted"))
            lines.append(CheckLine(.alerting, "alerting.listing-query", .failed, "the job's listing query is refused: \(reason)",
                                   fix: "check \(settings.flag("alerting.owner_tag")): it must be a plain tag the service can search for"))
        case let .failed(reason):
            lines.append(CheckLine(.alerting, "alerting.credentials", .failed, "\(alerts.serviceName) did not answer the listing: \(reason)",
                                   fix: "check the service's URL, and that this machine reaches it"))
            return lines + notChecked(["alerting.listing-query", "alerting.responders", "alerting.on-call"], "\(alerts.serviceName) did not answer", area: .alerting)
        }
        lines.append(await respondersLine(alerts, table: table))
        lines += await onCallLines(alerts, table: table, now: now)
        lines.append(CheckLine(.alerting, "alerting.write-permissions", .undecided, "may create, note and close alerts? Not checked: that needs a write",
                               fix: alerts.writePermissionAdvice))
        return lines
    }

    /// Every schedule and team the routing table and the defaults name, with the roles routed to each.
    func respondersLine(_ alerts: any AlertServicePreflight, table: RoutingTable) async -> CheckLine {
        var routedBy: [Responder: Set<String>] = [:]
        for row in table.rows {
            for schedule in row.notifySchedules + row.approvalSchedules { routedBy[Responder(kind: .schedule, value: schedule), default: []].insert(row.role) }
            for team in row.teams { routedBy[Responder(kind: .team, value: team), default: []].insert(row.role) }
        }
        for schedule in configuration.defaultSchedules { routedBy[Responder(kind: .schedule, value: schedule), default: []].insert("the defaults") }
        for team in configuration.defaultTeams { routedBy[Responder(kind: .team, value: team), default: []].insert("the defaults") }
        let responders = routedBy.keys.sorted { "\($0)" < "\($1)" }
        guard !responders.isEmpty else {
            return CheckLine(.alerting, "alerting.responders", .failed, "no schedule or team is named by the manifests or the defaults: alerts would reach nobody",
                             fix: "annotate the roles (teleport.dev/notify-services, teleport.dev/teams) or set \(settings.flag("alerting.default_schedules"))")
        }
        let missing: [Responder: String]
        do {
            missing = try await alerts.invisibleResponders(responders)
        } catch {
            return CheckLine(.alerting, "alerting.responders", .failed, "could not look up the schedules and teams: \(error)",
                             fix: "check that the key or token may read schedules and teams")
        }
        guard missing.isEmpty else {
            let named = missing.keys.sorted { "\($0)" < "\($1)" }.map { responder in
                "\(responder) (routed from \(routedBy[responder, default: []].sorted().joined(separator: ", ")))"
            }
            return CheckLine(.alerting, "alerting.responders", .failed, "not found in \(alerts.serviceName): \(named.joined(separator: "; "))",
                             fix: "create them, correct the names in the role annotations or defaults, or give the account access to them")
        }
        return CheckLine(.alerting, "alerting.responders", .passed,
                         "every schedule and team the manifests and defaults name exists: \(responders.map { "\($0)" }.joined(separator: ", "))")
    }

    /// Each auto-approval schedule's on-call list, and (where the service can hide them) whose
    /// addresses are missing.
    func onCallLines(_ alerts: any AlertServicePreflight, table: RoutingTable, now: Date) async -> [CheckLine] {
        guard configuration.autoApproval.enabled else {
            return [CheckLine(.alerting, "alerting.on-call", .passed, "auto-approval is off: no on-call list is read")]
        }
        let schedules = Set(table.rows.flatMap(\.approvalSchedules)).sorted()
        guard !schedules.isEmpty else {
            return [CheckLine(.alerting, "alerting.on-call", .passed, "no auto-approval schedule: no on-call list is read")]
        }
        let answers = await alerts.onCallForCheck(schedules: schedules).sorted { $0.schedule < $1.schedule }
        var lines: [CheckLine] = []
        let failed = answers.filter { $0.recipients == nil }
        if failed.isEmpty {
            let counts = answers.map { "\($0.schedule) (\(($0.recipients?.count ?? 0) + $0.unnamed.count) on call)" }
            lines.append(CheckLine(.alerting, "alerting.on-call", .passed, "every auto-approval schedule's on-call list can be read: \(counts.joined(separator: ", "))"))
        } else {
            lines.append(CheckLine(.alerting, "alerting.on-call", .failed,
                                   "on-call lists that cannot be read: \(failed.map { "\($0.schedule): \($0.failure ?? "failed")" }.joined(separator: "; "))",
                                   fix: "check the schedule names, and that the key or token may read schedules (Opsgenie: the API integration must not have \"Restrict Access to Configurations\" set)"))
        }
        if !alerts.hiddenAddressAdvice.isEmpty {
            let hidden = answers.filter { !$0.unnamed.isEmpty }
            if hidden.isEmpty {
                lines.append(CheckLine(.alerting, "alerting.hidden-addresses", .passed, "everyone on call now can be named by e-mail address"))
            } else {
                lines.append(CheckLine(.alerting, "alerting.hidden-addresses", .failed,
                                       "on call now without a visible e-mail address: \(hidden.map { "\($0.schedule): \($0.unnamed.joined(separator: ", "))" }.joined(separator: "; ")); they can never be auto-approved",
                                       fix: alerts.hiddenAddressAdvice))
            }
        }
        let readable = answers.filter { $0.recipients != nil }.map(\.schedule)
        return lines + (await alerts.assumptionLines(schedules: readable, now: now))
    }
}
