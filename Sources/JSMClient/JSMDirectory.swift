import HTTPSupport

/// What one run learnt of names and people: schedule and team ids, account e-mail addresses and
/// on-call lists, each asked for once however many requests need it.
actor JSMDirectory {
    private let schedules = OnceCache<String, String>()
    private let teamList = OnceCache<Bool, [(String, String)]>()
    private let onCalls = OnceCache<String, [String]>()
    private var emails: [String: String] = [:]

    func scheduleID(_ name: String, load: @escaping @Sendable () async throws -> String) async throws -> String {
        try await schedules.value(for: name.lowercased(), load: load)
    }

    func teams(load: @escaping @Sendable () async throws -> [(String, String)]) async throws -> [(String, String)] {
        try await teamList.value(for: true, load: load)
    }

    func onCall(_ schedule: String, load: @escaping @Sendable () async throws -> [String]) async throws -> [String] {
        try await onCalls.value(for: schedule, load: load)
    }

    func email(of account: String) -> String? { emails[account] }

    func remember(email: String, of account: String) { emails[account] = email }
}
