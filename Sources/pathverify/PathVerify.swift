import ArgumentParser
import PathVerifyCore

@main
struct PathVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pathverify",
        abstract: "Verify that traffic uses the interfaces it was meant to use.",
        discussion: """
            pathverify attributes every packet to the interface and direction it actually used and
            compares that with what was expected: the intents of a config file or, with no intents,
            the interface that owns each address.

            Finding kinds:
            \(FindingKind.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))

            \(ExitStatus.helpText)
            """,
        subcommands: [Analyze.self, Capture.self, Check.self, Top.self, Run.self, ConfigCommand.self]
    )
}
