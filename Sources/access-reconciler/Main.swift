import ReconcilerCommands

/// The production binary: the commands, the clients and nothing of the fakes.
@main
enum Main {
    static func main() async {
        await AccessReconcilerCommand.main()
    }
}
