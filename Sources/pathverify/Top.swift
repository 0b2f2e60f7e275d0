import ArgumentParser
import PathVerifyCore
import PathVerifyLinux

struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Show live interface counters, like esxtop's network panel.",
        discussion: """
            Every DELAY seconds, reads each interface's kernel counters and shows PKTTX/s, MbTX/s,
            PKTRX/s, MbRX/s (megabits of 2^20 bits, as esxtop counts), %DRPTX and %DRPRX (dropped
            packets as a share of packets passed plus dropped) over the last interval. The first
            sample has no rates: they need two samples. A counter that went backwards (interface
            re-created, driver reset) gives no rates for that interval.

            VERDICT is each interface's verdict over the last interval, from a capture of that
            interval verified as `capture` verifies it: the kinds of its findings, ok, or idle.
            Without the right to capture (root), the column stays "-" and the counters still show.
            TEAM-PNIC, for an interface riding on a team of the config (or a bond), is the uplink
            its flows used, with the one the team's policy predicts where they differ:
            up2(predicted up1). Capture the uplinks too (-i vmk3,up1,up2) for it to show.

            With -b, prints CSV: a header row, then one row per sample, the time first.

            Exit status: 0 after -n samples or SIGINT/SIGTERM, 64 bad usage or unknown interface,
            66 no interface to watch or counters unreadable, 78 bad config.
            """
    )

    @Option(
        name: [.short, .customLong("interface")], parsing: .singleValue,
        help: ArgumentHelp(
            "Interface to watch, by kernel name or config alias (repeatable, or comma-separated)."
                + " Default: every interface that is up with an address, loopback aside.",
            valueName: "name"))
    var interfaces: [String] = []

    @Option(name: [.short, .long], help: "Config file (TOML) naming each interface's alias and role.")
    var config: String?

    @Option(name: [.short, .customLong("delay")], help: "Seconds between samples.")
    var delay: Double = 5

    @Option(
        name: [.customShort("n"), .customLong("iterations")],
        help: "Stop after this many samples (default: until interrupted).")
    var iterations: Int?

    @Flag(name: [.short, .customLong("batch")], help: "Print CSV, one row per sample, for a file or a program.")
    var batch = false

    func validate() throws {
        guard delay.isFinite, delay >= 0.1 else { throw ValidationError("-d takes at least 0.1 seconds") }
        guard delay <= 86_400 else { throw ValidationError("-d takes at most 86400 seconds (a day)") }
        if let iterations, iterations < 1 { throw ValidationError("-n must be at least 1") }
    }

    func run() throws {
        let config = try self.config.map(loadConfig) ?? Config()
        let facts = SysfsHostInterfaceSource()
        let (host, chosen) = try InterfaceChoice.resolve(interfaces, config: config, source: facts)
        do {
            try watch(chosen, host: host, config: config, facts: facts)
        } catch let error as SysfsReadError {
            printError("pathverify: \(error)")
            throw ExitCode(ExitStatus.unreadableInput)
        }
    }

    /// Samples until `-n` samples were shown or a signal came; the schedule keeps to multiples
    /// of the delay from the start, so slow reads do not make the samples drift.
    func watch(_ chosen: [HostInterface], host: [HostInterface], config: Config, facts: some HostInterfaceSource) throws {
        let signals = try TerminationSignals()
        var sampler = CounterSampler(interfaces: chosen, config: config)
        let counters = SysfsCounterSource()
        let csv = CounterCSV(interfaces: chosen.map(\.name))
        let screen = !batch && StandardOutput.isTerminal
        let delayNanoseconds = UInt64(delay * 1e9)
        if batch { try StandardOutput.write(csv.header) }
        let session = openSession(chosen, host: host, config: config)
        var verdicts: [String: String] = [:]
        var teamUplinks: [String: String] = [:]
        var next = SystemClock.monotonicNanoseconds()
        var shown = 0
        while true {
            var rows = try sampler.sample(counters: counters, facts: facts)
            for index in rows.indices {
                rows[index].verdict = verdicts[rows[index].name]
                rows[index].teamUplink = teamUplinks[rows[index].name]
            }
            let now = SystemClock.now()
            if batch {
                try StandardOutput.write(csv.row(at: now, rows))
            } else {
                let text = CounterScreen.render(rows, at: now, delaySeconds: delay)
                try StandardOutput.write(screen ? StandardOutput.clearScreen + text : (shown > 0 ? "\n" : "") + text)
            }
            shown += 1
            if let iterations, shown >= iterations { return }
            next += delayNanoseconds
            let current = SystemClock.monotonicNanoseconds()
            if next < current { next = current }
            guard let session else {
                if signals.wait(nanoseconds: next - current) != nil { return }
                continue
            }
            // Capture until the next sample; its traffic gives the next row's verdicts.
            let (result, end) = session.analyse(
                limits: LiveCapture.Limits(durationNanoseconds: max(1, next - current)), signals: signals)
            if case .signal = end { return }
            verdicts = Dictionary(uniqueKeysWithValues: chosen.map { ($0.name, result.verdictText(of: $0.name)) })
            teamUplinks = Dictionary(uniqueKeysWithValues: chosen.compactMap { interface in
                result.teamUplinkText(of: interface.name).map { (interface.name, $0) }
            })
        }
    }

    /// The capture behind the VERDICT column, or `nil` (with one line on stderr) when the
    /// interfaces cannot be captured on, such as without root: the counters still show.
    func openSession(_ chosen: [HostInterface], host: [HostInterface], config: Config) -> LiveSession? {
        do {
            return try LiveSession(
                interfaces: chosen.map(\.name), host: host, config: config, maxFlows: 100_000,
                options: LiveCaptureOptions())
        } catch {
            printError("pathverify: no verdicts, counters only: \(error)")
            return nil
        }
    }
}
