import Foundation

/// What a planning pass does with open alerts and with requests that need nothing more.
extension PlanWork {
    mutating func planAlert(_ alert: Alert, requestID: String, request: AccessRequest?) {
        guard let request else {
            close(alert, requestID: requestID, resolution: .expired, resolveReason: "",
                  reason: "request \(requestID) no longer exists in Teleport (expired requests are deleted)")
            return
        }
        if request.state == .pending || request.state == .none {
            if request.isExpired(at: now) {
                close(alert, requestID: requestID, resolution: .expired, resolveReason: "",
                      reason: "request expired at \((request.resourceExpires ?? now).formatted(.iso8601))")
            } else {
                checkResponders(alert, request: request)
            }
            return
        }
        guard let resolution = Resolution(state: request.state) else { return }
        let posted = observation.pluginData[requestID]?.reviewsCount ?? 0
        for (index, review) in request.reviews.enumerated() where index >= posted {
            actions.append(.addNote(AddNote(requestID: requestID, alertID: alert.id, note: AlertText.reviewNote(review),
                                            reviewsCountAfter: index + 1,
                                            reason: "review by \(review.author) (\(review.proposedState)) not yet on the alert")))
        }
        close(alert, requestID: requestID, resolution: resolution, resolveReason: request.resolveReason,
              reason: "request was \(resolution.rawValue)\(request.resolveReason.isEmpty ? "" : ": \(request.resolveReason)")")
    }

    mutating func close(_ alert: Alert, requestID: String, resolution: Resolution, resolveReason: String, reason: String) {
        actions.append(.closeAlert(CloseAlert(requestID: requestID, alertID: alert.id, resolution: resolution,
                                              resolveReason: resolveReason,
                                              note: AlertText.resolutionNote(resolution, reason: resolveReason), reason: reason,
                                              record: resolutionRecord(requestID, resolution: resolution, resolveReason: resolveReason))))
    }

    /// A resolved, expired or deleted request that was looked up and has no open alert: record
    /// that, so that later runs need no lookup for it.
    mutating func planResolutionRecord(_ requestID: String, request: AccessRequest?) {
        let resolution: Resolution
        var resolveReason = ""
        if let request {
            if request.state == .pending || request.state == .none {
                guard request.isExpired(at: now) else { return }
                resolution = .expired
            } else {
                guard let decided = Resolution(state: request.state) else { return }
                resolution = decided
                resolveReason = request.resolveReason
            }
        } else {
            resolution = .expired
        }
        guard !(observation.pluginData[requestID]?.closeChecked ?? false) else { return }
        let recorded = observation.pluginData[requestID]?.resolution
        actions.append(.recordResolution(RecordResolution(
            requestID: requestID, set: resolutionRecord(requestID, resolution: resolution, resolveReason: resolveReason),
            reason: "request is \((recorded ?? resolution).rawValue) and no open alert has its alias; recording that it needs nothing more")))
    }

    /// The plugin-data keys that mark a request as resolved and its alert as seen closed; a
    /// resolution Teleport's plugin already recorded is kept.
    func resolutionRecord(_ requestID: String, resolution: Resolution, resolveReason: String) -> [String: String] {
        let current = observation.pluginData[requestID]?.fields ?? [:]
        var set: [String: String] = [:]
        if (current[PluginDataKey.resolution] ?? "").isEmpty {
            set[PluginDataKey.resolution] = resolution.rawValue
            set[PluginDataKey.resolveReason] = resolveReason
        }
        set[PluginDataKey.reconcilerChecked] = current[PluginDataKey.resolution].flatMap { $0.isEmpty ? nil : $0 } ?? resolution.rawValue
        return set
    }

    mutating func checkResponders(_ alert: Alert, request: AccessRequest) {
        guard !alert.responders.isEmpty else { return }
        let desired = desiredState(for: request).routing.responders
        // Backends list responders by id only; names can be compared only with names.
        guard let actual = Self.comparable(alert.responders, like: desired), let wanted = Self.comparable(desired, like: alert.responders),
              actual != wanted else { return }
        let missing = wanted.subtracting(actual).sorted().joined(separator: ", ")
        let extra = actual.subtracting(wanted).sorted().joined(separator: ", ")
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing)") }
        if !extra.isEmpty { parts.append("not expected \(extra)") }
        findings.append(Finding(kind: .responderDrift, requestID: request.id, alertID: alert.id,
                                message: "alert \(alert.id) responders differ from the desired ones: \(parts.joined(separator: "; "))"))
    }

    /// The responders as comparable keys, by name when both sides all have names, else by id when
    /// both sides all have ids; nil when the two sides cannot be compared.
    static func comparable(_ responders: [Responder], like other: [Responder]) -> Set<String>? {
        let both = responders + other
        if both.allSatisfy({ $0.name != nil }) {
            return Set(responders.map { "\($0.kind.rawValue) \($0.name!.lowercased())" })
        }
        if both.allSatisfy({ $0.id != nil }) {
            return Set(responders.map { "\($0.kind.rawValue) \($0.id!.lowercased())" })
        }
        return nil
    }
}
