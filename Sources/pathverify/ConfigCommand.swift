import ArgumentParser
import PathVerifyCore
import PathVerifyLinux

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with pathverify config files.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a config file.",
            discussion: "Prints every problem as FILE:LINE: KEY: MESSAGE and exits 78, or a summary and exits 0."
        )

        @Argument(help: "The config file (TOML).")
        var file: String

        func run() throws {
            let config = try loadConfig(file)
            let multihomed = AddressOwnership(interfaces: config.interfaces).multihomed.sorted()
            print(
                "\(file): ok: \(config.interfaces.count) interfaces, \(config.intents.count) intents, \(config.teams.count) teams"
                    + (multihomed.isEmpty ? "" : "; sharing a subnet: \(multihomed.joined(separator: ", "))"))
        }
    }
}

/// Loads a config, or prints its errors and exits with `badConfig`.
func loadConfig(_ path: String) throws -> Config {
    do {
        return try ConfigLoader.load(path: path)
    } catch {
        for problem in error.errors { printError(problem.description) }
        throw ExitCode(ExitStatus.badConfig)
    }
}
