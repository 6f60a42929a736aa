import Foundation

/// `check`'s lines about the job itself: the lock, the metrics file's folder, the deadlines.
extension Preflight {
    func checkJob(runID: String) -> [CheckLine] {
        var lines: [CheckLine] = []
        do {
            let lock = try RunLock(path: lockPath, runID: runID)
            withExtendedLifetime(lock) {}
            lines.append(CheckLine(.job, "job.lock", .passed, "the run lock \(lockPath) can be taken"))
        } catch {
            lines.append(CheckLine(.job, "job.lock", .failed, "the run lock cannot be taken: \(error)",
                                   fix: "wait for the other run, or set \(settings.flag("lock_file")) to a folder this user may write"))
        }
        if let metricsFile {
            let folder = (metricsFile as NSString).deletingLastPathComponent
            let directory = folder.isEmpty ? "." : folder
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
               FileManager.default.isWritableFile(atPath: directory) {
                lines.append(CheckLine(.job, "job.metrics-file", .passed, "the metrics file's folder \(directory) is writable"))
            } else {
                lines.append(CheckLine(.job, "job.metrics-file", .failed, "the metrics file's folder \(directory) is missing or not writable",
                                       fix: "create it, or point \(settings.flag("metrics.file")) at a folder this user may write (node_exporter's textfile directory)"))
            }
        }
        let timeout = configuration.timeout
        if timeout < Self.shortestTimeout {
            lines.append(CheckLine(.job, "job.deadline", .failed,
                                   "timeout \(GoDuration.format(timeout)) is shorter than one Teleport call may take (\(GoDuration.format(Self.shortestTimeout)))",
                                   fix: "raise \(settings.flag("timeout")), keeping it below the scheduler's own deadline (a CronJob's activeDeadlineSeconds)"))
        } else {
            lines.append(CheckLine(.job, "job.deadline", .passed,
                                   "timeout \(GoDuration.format(timeout)): the run stops writing and reports by then; keep it below the scheduler's own deadline (a CronJob's activeDeadlineSeconds)"))
        }
        if configuration.planMaxAge < timeout {
            lines.append(CheckLine(.job, "job.saved-plan", .failed,
                                   "plan_max_age \(GoDuration.format(configuration.planMaxAge)) is shorter than timeout \(GoDuration.format(timeout)): a plan saved at the end of a long `plan --out` can be too old for `apply --plan` before anyone reviews it",
                                   fix: "raise \(settings.flag("plan_max_age")) (default \(GoDuration.format(ReconcilerSettings.defaults.planMaxAge))) above \(settings.flag("timeout"))"))
        } else {
            lines.append(CheckLine(.job, "job.saved-plan", .passed, "apply --plan accepts plans saved within \(GoDuration.format(configuration.planMaxAge))"))
        }
        return lines
    }

    /// One Teleport call's deadline: a run shorter than it cannot even list.
    static let shortestTimeout: Duration = .seconds(30)
}
