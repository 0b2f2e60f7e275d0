import ArgumentParser
import PathVerifyCore
import PathVerifyLinux

struct Capture: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture live on the host's interfaces and verify the paths its traffic takes.",
        discussion: """
            Opens two libpcap handles per interface, one per direction (a socket filter on the
            kernel's packet type), so every packet is attributed to the interface and the
            direction the kernel saw. Not promiscuous: what is verified is the host's own traffic.
            Address ownership comes from the kernel's interface addresses; aliases, roles and
            intents from --config. Kernel counters are sampled every second and shown beside what
            the capture attributed; packets libpcap dropped raise a capture-loss finding.

            Stops after --duration, after --count packets, or on Ctrl-C / SIGTERM, and then
            prints the whole report. A filter expression (pcap-filter(7), as tcpdump takes it)
            may follow the options.

            \(ExitStatus.helpText) Capturing needs root or CAP_NET_RAW; an
            interface that cannot be captured on exits 66.
            """
    )

    @Option(
        name: [.short, .customLong("interface")], parsing: .singleValue,
        help: ArgumentHelp(
            "Interface to capture on, by kernel name or config alias (repeatable, or comma-separated)."
                + " Default: every interface that is up with an address, loopback aside.",
            valueName: "name"))
    var interfaces: [String] = []

    // No -c: as in tcpdump, -c is the packet count.
    @Option(name: .long, help: "Config file with interfaces, intents and teams (TOML).")
    var config: String?

    @Option(
        name: [.short, .long],
        help: ArgumentHelp("How long to capture: seconds, or with s, m or h (10s, 2m). 0: until -c or Ctrl-C.", valueName: "time"))
    var duration: String = "10s"

    @Option(name: [.short, .customLong("count")], help: "Stop after this many packets.")
    var count: Int?

    @Option(name: [.short, .customLong("snapshot-length")], help: "Bytes kept per packet (headers only by default).")
    var snapshotLength: Int = LiveCaptureOptions.headerSnapshotLength

    @Option(name: [.customShort("B"), .customLong("buffer-size")], help: "Kernel capture buffer per handle, in KiB (as tcpdump -B; default 2048).")
    var bufferKiB: Int?

    @Option(name: .customShort("w"), help: ArgumentHelp("Write the packets of every mismatching flow to this pcapng file.", valueName: "file"))
    var evidence: String?

    @Option(name: .long, help: "Most flows kept at once; older flows are verified, then evicted.")
    var maxFlows: Int = 1_000_000

    @Flag(name: .long, help: "Print the report as one JSON document.")
    var json = false

    @Argument(parsing: .remaining, help: ArgumentHelp("Filter expression, as tcpdump takes it.", valueName: "expression"))
    var expression: [String] = []

    func validate() throws {
        guard DurationText.nanoseconds(duration) != nil else {
            throw ValidationError("--duration takes seconds, or a number with s, m or h (such as 10s or 2m); got '\(duration)'")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        guard (64...262_144).contains(snapshotLength) else { throw ValidationError("--snapshot-length takes 64 to 262144 bytes") }
        if let bufferKiB, !(64...4_194_304).contains(bufferKiB) { throw ValidationError("-B takes 64 to 4194304 KiB") }
        guard maxFlows > 0 else { throw ValidationError("--max-flows must be at least 1") }
    }

    var filter: String? { expression.isEmpty ? nil : expression.joined(separator: " ") }

    func run() throws {
        let config = try self.config.map(loadConfig) ?? Config()
        try validateFilter(filter)
        // Read again during the capture only when rtnetlink announces a change.
        let hostSource = WatchedHostInterfaceSource(SysfsHostInterfaceSource())
        let (host, chosen) = try InterfaceChoice.resolve(interfaces, config: config, source: hostSource)
        let duration = DurationText.nanoseconds(self.duration) ?? 0
        var analyzer = LiveAnalyzer(
            config: config, maxFlows: maxFlows,
            options: LiveCaptureOptions(
                snapshotLength: snapshotLength, bufferBytes: bufferKiB.map { $0 * 1024 }, filter: filter),
            limits: LiveCapture.Limits(durationNanoseconds: duration > 0 ? duration : nil, packets: count))
        analyzer.hostSource = hostSource
        let spool = try evidence.map { _ in try EvidenceSpool(interfaces: chosen.map(\.name)) }
        let signals = try TerminationSignals()
        let outcome: LiveAnalyzer.Outcome
        do {
            outcome = try analyzer.run(
                on: chosen, host: host, signals: signals,
                onStart: {
                    // On stderr, as tcpdump's "listening on": the report alone goes to stdout.
                    let seconds = Double(duration) / 1e9
                    let until = [duration > 0 ? "\(seconds) s" : nil, count.map { "\($0) packets" }]
                        .compactMap { $0 }.joined(separator: " or ")
                    printError(
                        "pathverify: capturing on \(chosen.map(\.name).joined(separator: ", ")), "
                            + "\(snapshotLength) bytes per packet, for \(until.isEmpty ? "ever" : until) or until Ctrl-C")
                },
                onFailure: { printError("pathverify: \($0); capturing goes on on the other interfaces") },
                onPacket: spool.map { spool in { spool.append($0) } })
        } catch let error as LiveCaptureError {
            printError("pathverify: \(error)")
            throw ExitCode(ExitStatus.unreadableInput)
        } catch let error as IntentFilterError {
            printError("\(self.config ?? "config"): \(error)")
            throw ExitCode(ExitStatus.badConfig)
        }
        var report = Report(command: "capture", inputs: [], result: outcome.result, live: outcome.live)
        report.notes += outcome.changes
        if let evidence, let spool {
            do {
                let written = try spool.writeEvidence(to: evidence, for: outcome.result)
                report.notes.append("evidence: \(written) packets of mismatching flows written to \(evidence)")
            } catch {
                printError("pathverify: \(evidence): \(error)")
            }
        }
        try ReportPrinter.print(report, json: json)
        if report.verdict == .mismatch { throw ExitCode(ExitStatus.mismatch) }
    }
}
