/// A wait for an asynchronous write to be processed (Opsgenie's and JSM's request status). During
/// `Applier.apply`, the waiting request gives its write slot up and takes one again afterwards;
/// elsewhere it is a plain sleep.
public enum ProcessingWait {
    @TaskLocal static var slots: WriteSlots?

    /// Sleeps `duration` without holding a write slot; throws when the task is cancelled (the
    /// run's deadline), after taking its slot back, so that the caller's bookkeeping stays even.
    public static func sleep(for duration: Duration) async throws {
        guard let slots else {
            try await Task.sleep(for: duration)
            return
        }
        await slots.release()
        do {
            try await Task.sleep(for: duration)
        } catch {
            await slots.acquire(resuming: true)
            throw error
        }
        await slots.acquire(resuming: true)
    }
}
