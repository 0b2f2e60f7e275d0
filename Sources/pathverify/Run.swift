import ArgumentParser
import Glibc
import PathVerifyCore
import PathVerifyLinux

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Verify paths without end and write alert lines to syslog (the systemd service).",
        discussion: """
            Captures like `capture`, in windows of --window: each window's traffic is verified
            with an empty flow table, and its findings become alerts. An alert (a finding's kind,
            intent, direction and interfaces: a storm of flows on one wrong path is one alert) is
            RAISED once a window shows --raise-after packets of it, repeated as ONGOING at most
            every --remind-every with the counts since its last line, and CLEARED after
            --clear-after without any. At most --max-lines-per-minute lines a minute; what that
            holds back is counted in a SUPPRESSED line.

            The checks of `pathverify check` (predicted egress, ARP flux risk, linkdown routes)
            run at the start, after a reload, when the kernel reports an address, route, rule or
            link change, and once a minute; their findings raise and clear like the others
            (--no-check turns them off).

            Lines: STARTED, RAISED, ONGOING, CLEARED, SUPPRESSED, REOPENED, RELOADED,
            RELOAD_FAILED, CHECK_FAILED, STOPPED, SYSLOG_LOST: the event word, then key=value pairs (README).
            They go to syslog (identity pathverify, --syslog-facility; warning for a raised
            mismatch, notice for a clear, err for a capture failure) and to stdout, unless stdout
            is systemd's journal (JOURNAL_STREAM), where syslog alone avoids doubled lines.

            Watches the interfaces named with -i, else those the config lists, else every
            interface that is up with an address. One that is down, absent or whose capture
            fails raises interface-down, and is captured again within a second or two of coming
            back. SIGHUP re-reads --config (a bad one is reported and the running one kept);
            SIGINT or SIGTERM stop with a STOPPED line. Under systemd (Type=notify) it reports
            READY once every interface is open, its STATUS, and pings the watchdog from the
            capture loop. Needs root or CAP_NET_RAW.

            Exit status: 0 stopped by a signal, 64 bad usage, 66 the host's interfaces cannot
            be read, 78 bad config at start.
            """
    )

    @Option(name: .long, help: "Config file with interfaces, intents and teams (TOML); SIGHUP reads it again.")
    var config: String?

    @Option(
        name: [.short, .customLong("interface")], parsing: .singleValue,
        help: ArgumentHelp("Interface to watch, by kernel name or config alias (repeatable, or comma-separated).", valueName: "name"))
    var interfaces: [String] = []

    @Option(name: .long, help: ArgumentHelp("Length of a verification window (10s, 1m).", valueName: "time"))
    var window: String = "10s"

    @Option(name: .long, help: ArgumentHelp("Packets a window must show before an alert is raised.", valueName: "packets"))
    var raiseAfter: UInt64 = 3

    @Option(name: .long, help: ArgumentHelp("How often an open alert is repeated.", valueName: "time"))
    var remindEvery: String = "5m"

    @Option(name: .long, help: ArgumentHelp("Quiet time after which an alert is cleared.", valueName: "time"))
    var clearAfter: String = "1m"

    @Option(name: .long, help: "Most alert lines a minute; the rest are counted and reported.")
    var maxLinesPerMinute: Int = 60

    @Option(name: .long, help: ArgumentHelp("Syslog facility: \(SyslogFacility.allNames.joined(separator: ", ")).", valueName: "name"))
    var syslogFacility: String = "daemon"

    @Option(name: .long, help: "Where lines go: auto (syslog, and stdout unless it is the journal), syslog, stdout or both.")
    var log: LogDestination = .auto

    @Option(name: [.short, .customLong("snapshot-length")], help: "Bytes kept per packet (headers only by default).")
    var snapshotLength: Int = LiveCaptureOptions.headerSnapshotLength

    @Option(name: [.customShort("B"), .customLong("buffer-size")], help: "Kernel capture buffer per handle, in KiB (default 2048).")
    var bufferKiB: Int?

    @Option(name: .long, help: "Most flows kept in a window; older flows are verified, then evicted.")
    var maxFlows: Int = 200_000

    @Flag(name: .long, help: "Do not run the checks of `pathverify check`; verify traffic only.")
    var noCheck = false

    @Argument(parsing: .remaining, help: ArgumentHelp("Filter expression, as tcpdump takes it.", valueName: "expression"))
    var expression: [String] = []

    enum LogDestination: String, ExpressibleByArgument, CaseIterable {
        case auto, syslog, stdout, both
    }

    func validate() throws {
        for (name, value) in [("--window", window), ("--remind-every", remindEvery), ("--clear-after", clearAfter)] {
            guard let nanoseconds = DurationText.nanoseconds(value), nanoseconds > 0 else {
                throw ValidationError("\(name) takes a time such as 10s, 2m or 1h; got '\(value)'")
            }
        }
        guard (DurationText.nanoseconds(window) ?? 0) >= 100_000_000 else { throw ValidationError("--window must be at least 0.1s") }
        guard raiseAfter >= 1 else { throw ValidationError("--raise-after must be at least 1") }
        guard maxLinesPerMinute >= 1 else { throw ValidationError("--max-lines-per-minute must be at least 1") }
        guard (try? SyslogFacility(name: syslogFacility)) != nil else {
            throw ValidationError("--syslog-facility takes one of \(SyslogFacility.allNames.joined(separator: ", ")); got '\(syslogFacility)'")
        }
        guard (64...262_144).contains(snapshotLength) else { throw ValidationError("--snapshot-length takes 64 to 262144 bytes") }
        if let bufferKiB, !(64...4_194_304).contains(bufferKiB) { throw ValidationError("-B takes 64 to 4194304 KiB") }
        guard maxFlows > 0 else { throw ValidationError("--max-flows must be at least 1") }
    }

    func run() throws {
        let config = try self.config.map(loadConfig) ?? Config()
        let filter = expression.isEmpty ? nil : expression.joined(separator: " ")
        try validateFilter(filter)
        let (toSyslog, toStdout) = destinations()
        let syslog = toSyslog ? try SyslogWriter(facility: SyslogFacility(name: syslogFacility)) : nil
        let emit = { (line: AlertLine) in
            syslog?.write(line.description, severity: line.severity)
            if toStdout { try? StandardOutput.write(line.description + "\n") }
        }
        let path = self.config
        let daemon = Daemon(
            settings: Daemon.Settings(
                configPath: path, requested: interfaces,
                options: LiveCaptureOptions(snapshotLength: snapshotLength, bufferBytes: bufferKiB.map { $0 * 1024 }, filter: filter),
                windowNanoseconds: DurationText.nanoseconds(window) ?? 10_000_000_000,
                policy: AlertPolicy(
                    minimumPackets: raiseAfter, reminderNanoseconds: Int64(DurationText.nanoseconds(remindEvery) ?? 0),
                    quietNanoseconds: Int64(DurationText.nanoseconds(clearAfter) ?? 0), linesPerMinute: maxLinesPerMinute),
                maxFlows: maxFlows),
            config: config,
            reloadConfig: {
                guard let path else { return Config() }
                do throws(ConfigLoadError) {
                    return try ConfigLoader.load(path: path)
                } catch {
                    throw ReloadError(problems: error.errors.map(\.description))
                }
            },
            hostSource: WatchedHostInterfaceSource(SysfsHostInterfaceSource()),
            notifier: SystemdNotifier(), predictor: noCheck ? nil : Self.predictor(), lostLines: { syslog?.lostLines ?? 0 }, emit: emit)
        // A closed stdout must not kill the daemon: a write then fails with EPIPE and is dropped.
        signal(SIGPIPE, SIG_IGN)
        let signals = try TerminationSignals([SIGINT, SIGTERM, SIGHUP])
        // Kept for the life of the process: a signal sent to the whole process group (timeout(1),
        // `systemctl kill`) arrives twice, and the second, landing after a deinit restored the
        // default action, would turn a clean stop into death by SIGTERM.
        _ = Unmanaged.passRetained(signals)
        do {
            try daemon.run(signals: signals)
        } catch let error as IntentFilterError {
            printError("\(path ?? "config"): \(error)")
            throw ExitCode(ExitStatus.badConfig)
        } catch {
            printError("pathverify: \(error)")
            throw ExitCode(ExitStatus.unreadableInput)
        }
        // The stop line must reach syslog, but a stuck syslog must not hold the stop.
        syslog?.flush(timeoutNanoseconds: 2_000_000_000)
        syslog?.close()
    }

    /// The path check of `pathverify check`, re-run when rtnetlink reports a change; without
    /// the notifications (a kernel that refuses them) it still runs once a minute.
    static func predictor() -> Daemon.Predictor {
        var monitor: RouteChangeMonitor?
        do {
            monitor = try RouteChangeMonitor()
        } catch {
            printError("pathverify: no rtnetlink change notifications (\(error)); the checks run once a minute")
        }
        return Daemon.Predictor(
            check: { config in try KernelPathCheck(routeSource: try NetlinkRouteSource()).run(config: config).findings },
            changed: { monitor?.drain() ?? false })
    }

    /// Syslog, stdout, or both. Under systemd stdout is the journal, which syslog already
    /// reaches: `JOURNAL_STREAM` holds the device and inode of that stream (systemd.exec(5)).
    func destinations() -> (syslog: Bool, stdout: Bool) {
        switch log {
        case .syslog: return (true, false)
        case .stdout: return (false, true)
        case .both: return (true, true)
        case .auto: return (true, !StandardOutput.isJournal)
        }
    }
}

/// A config that SIGHUP could not load: its problems, in one line for RELOAD_FAILED.
struct ReloadError: Error, CustomStringConvertible {
    var problems: [String]
    var description: String {
        (problems.first ?? "unreadable") + (problems.count > 1 ? " (and \(problems.count - 1) more)" : "")
    }
}
