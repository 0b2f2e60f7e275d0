import ArgumentParser
import Foundation
import PathVerifyCore
import PathVerifyLinux

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Verify the paths in capture files (pcap or pcapng).",
        discussion: """
            Each input names its interface in one of three ways: pcapng interface blocks (if_name),
            the ifindex of Linux cooked v2 (SLL2) headers mapped with the config's ifindex keys or
            --ifmap, or IFACE=FILE for a file captured on one interface (tcpdump -i IFACE, pktcap-uw).

            Direction comes from pcapng epb_flags or the cooked header's packet type. Where the file
            does not record it, a frame from the interface's own MAC (config `mac`, pcapng if_MACaddr)
            is outgoing and one to it incoming; failing that, a packet from one of the host's
            configured addresses is outgoing and one to them incoming. Packets that none of these
            tell are counted and reported, not verified.

            \(ExitStatus.helpText)
            """
    )

    @Argument(help: ArgumentHelp("Capture files: FILE, or IFACE=FILE for a file taken on one interface.", valueName: "input"))
    var inputs: [String]

    @Option(name: [.short, .long], help: "Config file with interfaces, intents and teams (TOML).")
    var config: String?

    @Option(name: [.short, .long], help: "Analyse only packets matching this tcpdump-style filter expression.")
    var filter: String?

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("Name the interface of an SLL2 ifindex: IFINDEX=NAME (repeatable, or comma-separated).", valueName: "ifindex=name"))
    var ifmap: [String] = []

    @Option(name: .long, help: "Most flows kept at once; older flows are verified, then evicted.")
    var maxFlows: Int = 1_000_000

    @Flag(name: .long, help: "Print the report as one JSON document.")
    var json = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one capture file") }
        guard maxFlows > 0 else { throw ValidationError("--max-flows must be at least 1") }
        _ = try ifindexNames()
    }

    func ifindexNames() throws -> [UInt32: String] {
        var names: [UInt32: String] = [:]
        for pair in ifmap.flatMap({ $0.split(separator: ",") }) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let index = UInt32(parts[0]), !parts[1].isEmpty else {
                throw ValidationError("--ifmap takes IFINDEX=NAME, such as 2=eth1; got '\(pair)'")
            }
            names[index] = String(parts[1])
        }
        return names
    }

    /// `IFACE=FILE` unless the whole argument is an existing file's name.
    static func input(_ argument: String) -> OfflineInput {
        let parts = argument.split(separator: "=", maxSplits: 1)
        if parts.count == 2, !parts[0].contains("/"), !FileManager.default.fileExists(atPath: argument) {
            return OfflineInput(path: String(parts[1]), interface: String(parts[0]))
        }
        return OfflineInput(path: argument)
    }

    func run() throws {
        let config = try self.config.map(loadConfig) ?? Config()
        let filter = self.filter.map(BPFFilter.init(expression:))
        do {
            try filter?.validate()
        } catch {
            printError("pathverify: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let analyzer: OfflineAnalyzer
        do {
            analyzer = try OfflineAnalyzer(
                config: config, maxFlows: maxFlows, filter: filter, ifindexNames: try ifindexNames())
        } catch let error as IntentFilterError {
            printError("\(self.config ?? "config"): \(error)")
            throw ExitCode(ExitStatus.badConfig)
        }
        let outcome: OfflineAnalyzer.Outcome
        do {
            outcome = try analyzer.run(inputs.map(Self.input))
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.unreadableInput)
        }
        let report = Report(command: "analyze", inputs: outcome.inputs, result: outcome.result)
        try ReportPrinter.print(report, json: json)
        for problem in outcome.damage { printError(problem) }
        if !outcome.damage.isEmpty { throw ExitCode(ExitStatus.damagedInput) }
        if report.verdict == .mismatch { throw ExitCode(ExitStatus.mismatch) }
    }
}
