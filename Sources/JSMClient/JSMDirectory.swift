/// What one run learnt of names and people: schedule and team ids, account e-mail addresses and
/// on-call lists, each asked for once however many requests need it.
actor JSMDirectory {
    private var schedules: [String: Task<String, Error>] = [:]
    private var teamList: Task<[(String, String)], Error>?
    private var onCalls: [String: Task<[String], Error>] = [:]
    private var emails: [String: String] = [:]

    func scheduleID(_ name: String, load: @escaping @Sendable () async throws -> String) async throws -> String {
        let key = name.lowercased()
        if let task = schedules[key] { return try await task.value }
        let task = Task { try await load() }
        schedules[key] = task
        do { return try await task.value } catch {
            schedules[key] = nil
            throw error
        }
    }

    func teams(load: @escaping @Sendable () async throws -> [(String, String)]) async throws -> [(String, String)] {
        if let teamList { return try await teamList.value }
        let task = Task { try await load() }
        teamList = task
        do { return try await task.value } catch {
            teamList = nil
            throw error
        }
    }

    func onCall(_ schedule: String, load: @escaping @Sendable () async throws -> [String]) async throws -> [String] {
        if let task = onCalls[schedule] { return try await task.value }
        let task = Task { try await load() }
        onCalls[schedule] = task
        do { return try await task.value } catch {
            onCalls[schedule] = nil
            throw error
        }
    }

    func email(of account: String) -> String? { emails[account] }

    func remember(email: String, of account: String) { emails[account] = email }
}
