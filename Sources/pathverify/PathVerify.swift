import ArgumentParser

@main
struct PathVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pathverify",
        abstract: "Verify that traffic uses the interfaces it was meant to use."
    )
}
