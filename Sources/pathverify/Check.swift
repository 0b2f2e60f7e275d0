import ArgumentParser
import PathVerifyCore
import PathVerifyLinux

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Predict, before any traffic flows, which interface the kernel will use and who answers ARP.",
        discussion: """
            For each intent, and for each address in a subnet that two of the host's interfaces
            share, asks the kernel's route lookup (what `ip route get DST from SRC` asks, policy
            rules included) which interface traffic from that address leaves by, and compares it
            with the intent's egress or the address's own interface: egress-predicted-mismatch,
            with the route that won and why. From arp_ignore, arp_announce, arp_filter and
            rp_filter (all, default and each interface, combined as the kernel does) it works out
            which interfaces answer ARP for each shared address: ingress-flux-risk. A route still
            chosen though its link is down is linkdown-route. Each finding lists its remedies in
            the order to try them, with the commands; nothing on the host is changed.

            Reads the network namespace it runs in (run it under `ip netns exec` for another).

            \(ExitStatus.helpText) A host whose interfaces, settings or routes cannot be read exits 66.
            """
    )

    @Option(name: .shortAndLong, help: "Config file with interfaces, intents and teams (TOML).")
    var config: String?

    @Flag(name: .long, help: "Print the report as one JSON document.")
    var json = false

    func run() throws {
        let config = try self.config.map(loadConfig) ?? Config()
        let report: CheckReport
        do {
            report = try KernelPathCheck(routeSource: try NetlinkRouteSource()).run(config: config)
        } catch {
            printError("pathverify: cannot read the host's interfaces, settings or routes: \(error)")
            throw ExitCode(ExitStatus.unreadableInput)
        }
        try ReportPrinter.print(report, json: json)
        if report.verdict == .mismatch { throw ExitCode(ExitStatus.mismatch) }
    }
}
