import AccessReconciler
import ArgumentParser

/// `sandbox`, kept as a hidden name for those used to it: the sandbox links fake services, a test
/// certificate authority and the fixtures' paths, so it is an executable of its own
/// (`reconciler-sandbox`) and not part of the binary that runs in production.
struct SandboxPointerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Moved: the sandbox is the executable reconciler-sandbox.",
        shouldDisplay: false
    )

    @Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    func run() throws {
        let rest = arguments.isEmpty ? "" : " " + arguments.joined(separator: " ")
        throw ValidationError("""
            the sandbox is not part of access-reconciler, so that no fake service ships with the job.
            In a checkout, run it as `swift run reconciler-sandbox\(rest)`.
            """)
    }
}
