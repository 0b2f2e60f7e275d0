import Glibc
import PathVerifyCore

/// `pathverify run`: captures without end, verifies the traffic window by window, and turns
/// the findings into alert lines (`AlertTracker`).
///
/// Each window starts an empty flow table, so a flow idle for a window is gone and the table
/// never holds more than one window's flows (and at most `maxFlows`, evicting the oldest).
/// Every second (the capture loop's tick) it pings the watchdog and checks each interface: one
/// that went down, disappeared or whose capture failed is reported as `interface-down`, and
/// its capture is reopened as soon as the kernel shows it up again. The path check (`pathverify
/// check`) runs at the start, after each reload, when the kernel reports an address, route, rule
/// or link change, and every `Predictor.intervalNanoseconds` (ARP settings change without a
/// notification); its findings join every window's until the next check, so they raise and
/// clear like the others. SIGHUP reloads the config; SIGINT and SIGTERM stop it with a summary line.
public final class Daemon {
    public struct Settings: Sendable {
        public var configPath: String?
        /// `-i` names and aliases; empty for the config's interfaces or the defaults.
        public var requested: [String]
        public var options: LiveCaptureOptions
        public var windowNanoseconds: UInt64
        public var policy: AlertPolicy
        public var maxFlows: Int

        public init(
            configPath: String?, requested: [String], options: LiveCaptureOptions, windowNanoseconds: UInt64,
            policy: AlertPolicy, maxFlows: Int
        ) {
            self.configPath = configPath
            self.requested = requested
            self.options = options
            self.windowNanoseconds = windowNanoseconds
            self.policy = policy
            self.maxFlows = maxFlows
        }
    }

    private let settings: Settings
    private var config: Config
    /// Reads the config file again (SIGHUP); its error's description is the line's `error`.
    private let reloadConfig: () throws -> Config
    private let hostSource: any HostInterfaceSource
    private let notifier: any ServiceNotifying
    private let emit: (AlertLine) -> Void
    /// Lines the syslog writer could not hand over, for the stop line.
    private let lostLines: () -> Int
    private var tracker: AlertTracker
    private var session: LiveSession?
    /// Why each watched interface is unseen now, and why it was at any tick of this window.
    private var downNow: [String: String] = [:]
    private var downInWindow: [String: String] = [:]
    /// libpcap's counts at the previous window's end, per interface name.
    private var previousCounts: [String: (received: UInt64, dropped: UInt64)] = [:]
    private var packets: UInt64 = 0
    private var dropped: UInt64 = 0

    /// Runs the path check, and tells whether the kernel's routing changed since it was last asked.
    public struct Predictor {
        public var check: (Config) throws -> [Finding]
        public var changed: () -> Bool
        public var intervalNanoseconds: UInt64

        public init(check: @escaping (Config) throws -> [Finding], changed: @escaping () -> Bool, intervalNanoseconds: UInt64 = 60_000_000_000) {
            self.check = check
            self.changed = changed
            self.intervalNanoseconds = intervalNanoseconds
        }
    }

    private let predictor: Predictor?
    /// The last path check's findings, and when it ran (monotonic).
    private var predicted: [Finding] = []
    private var predictedAt: UInt64 = 0
    /// The last check's error, so that a lasting one is one line, not one a minute.
    private var predictionError: String?

    public init(
        settings: Settings, config: Config, reloadConfig: @escaping () throws -> Config,
        hostSource: any HostInterfaceSource = SysfsHostInterfaceSource(), notifier: any ServiceNotifying,
        predictor: Predictor? = nil, lostLines: @escaping () -> Int = { 0 }, emit: @escaping (AlertLine) -> Void
    ) {
        self.predictor = predictor
        self.settings = settings
        self.config = config
        self.reloadConfig = reloadConfig
        self.hostSource = hostSource
        self.notifier = notifier
        self.lostLines = lostLines
        self.emit = emit
        tracker = AlertTracker(policy: settings.policy)
    }

    /// Runs until SIGINT or SIGTERM.
    /// - Throws: `IntentFilterError` when an intent's `bpf` does not compile; a sysfs error
    ///   when the host's interfaces cannot be read at the start, `InterfaceSelectionError` when
    ///   there is none to watch; once running, it does not throw.
    public func run(signals: TerminationSignals) throws {
        let start = SystemClock.monotonicNanoseconds()
        let host = try hostSource.interfaces()
        let names = InterfaceSelection.watched(settings.requested, host: host, config: config)
        guard !names.isEmpty else { throw InterfaceSelectionError.noDefault(available: host.map(\.name)) }
        let session = try LiveSession(
            interfaces: names, host: host, config: config, maxFlows: settings.maxFlows, options: settings.options,
            tolerateFailures: true)
        // Without the right to capture, nothing will ever be seen: fail, so that systemd says so.
        if let denied = session.capture.interfaces.indices.compactMap(session.capture.failure(of:)).first(where: \.isPermission) {
            throw denied
        }
        self.session = session
        emit(
            LifecycleLines.started(
                interfaces: names, config: settings.configPath, intents: config.intents.count,
                window: settings.windowNanoseconds, policy: settings.policy))
        check()
        predict()
        notifier.ready(status: status())
        var reason = "signal"
        while true {
            let (result, end) = session.analyse(
                limits: LiveCapture.Limits(durationNanoseconds: settings.windowNanoseconds), signals: signals,
                tick: { [self] in
                    notifier.watchdog(nowNanoseconds: SystemClock.monotonicNanoseconds())
                    check()
                    if let predictor, predictor.changed()
                        || SystemClock.monotonicNanoseconds() - predictedAt >= predictor.intervalNanoseconds
                    {
                        predict()
                    }
                },
                onFailure: { [self] error in
                    let reason = "capture failed: \(error.message)"
                    downNow[error.interface] = reason
                    if downInWindow[error.interface] == nil { downInWindow[error.interface] = reason }
                })
            conclude(result)
            notifier.status(status())
            guard case .signal(let signal) = end else { continue }
            if signal == SIGHUP {
                reload()
                continue
            }
            reason = signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal \(signal)"
            break
        }
        notifier.stopping()
        emit(
            LifecycleLines.stopped(
                reason: reason, uptimeNanoseconds: Int64(SystemClock.monotonicNanoseconds() - start), tracker: tracker,
                packets: packets, dropped: dropped, lostLines: lostLines()))
    }

    /// One window's verification: its findings, with `capture-loss` and `interface-down`, to the tracker.
    private func conclude(_ result: AnalysisResult) {
        guard let session else { return }
        let counts = session.statistics()
        let live = session.capture.interfaces.enumerated().map { index, name in
            let previous = previousCounts[name] ?? (0, 0)
            // 64-bit counts that only grow (LiveCapture keeps those of closed handles).
            let received = counts[index].received &- previous.received
            let dropped = counts[index].dropped &- previous.dropped
            previousCounts[name] = counts[index]
            self.packets += received
            self.dropped += dropped
            return LiveInterfaceStats(name: name, captureReceived: received, captureDropped: dropped, down: downInWindow[name])
        }
        let unseen = Set(downInWindow.keys).union(downNow.keys)
        downInWindow = downNow
        let report = Report(command: "run", inputs: [], result: result, live: live)
        let now = Timestamp(nanoseconds: Int64(SystemClock.monotonicNanoseconds()))
        for line in tracker.observe(report.findings + predicted, at: now, wallTime: SystemClock.now(), unseen: unseen) { emit(line) }
    }

    /// The interfaces' health, each tick: down, gone or failed ones are noted, and a capture
    /// that is closed (or bound to an interface that was re-created) is reopened once the kernel
    /// shows the interface up.
    private func check() {
        // One read of the host per tick, not one per watched interface; an unreadable host
        // (a passing sysfs error) leaves the states as they were.
        guard let session, let host = try? hostSource.interfaces() else { return }
        session.noteLinks(host, at: SystemClock.now())
        let capture = session.capture
        for (index, name) in capture.interfaces.enumerated() {
            let fact = host.first { $0.name == name }
            var reason: String?
            if let fact, fact.isLinkUp {
                if !capture.isOpen(index) || capture.ifindex(of: index) != UInt32(clamping: fact.ifindex) {
                    do {
                        try capture.reopen(index)
                        // A re-created or late interface may have a new MAC or addresses.
                        session.refresh(host: host)
                        emit(LifecycleLines.reopened(interface: name))
                    } catch {
                        reason = "capture failed: \(error.message)"
                    }
                }
            } else {
                reason = fact == nil ? "absent" : !(fact?.isUp ?? false) ? "set down" : "no carrier"
            }
            downNow[name] = reason
            if let reason, downInWindow[name] == nil { downInWindow[name] = reason }
        }
    }

    /// The path check, now: its findings replace the last ones. A check that fails keeps the
    /// last findings and says why in one line (again only when the reason changes).
    private func predict() {
        guard let predictor else { return }
        predictedAt = SystemClock.monotonicNanoseconds()
        do {
            predicted = try predictor.check(config)
            predictionError = nil
        } catch {
            let reason = String(describing: error)
            if reason != predictionError { emit(LifecycleLines.checkFailed(error: reason)) }
            predictionError = reason
        }
    }

    /// SIGHUP: the config again, and the interfaces it names; a bad one keeps the running one.
    private func reload() {
        guard let session else { return }
        notifier.reloading()
        defer { notifier.ready(status: status()) }
        do {
            let newConfig = try reloadConfig()
            let host = try hostSource.interfaces()
            let names = InterfaceSelection.watched(settings.requested, host: host, config: newConfig)
            let change = try session.reconfigure(config: newConfig, host: host, interfaces: names)
            config = newConfig
            for name in change.closed {
                downNow[name] = nil
                downInWindow[name] = nil
                previousCounts[name] = nil
            }
            emit(
                LifecycleLines.reloaded(
                    config: settings.configPath, intents: newConfig.intents.count, kept: change.kept,
                    opened: change.opened, closed: change.closed, failed: change.failed.map(\.interface)))
            check()
            predict()
        } catch {
            emit(LifecycleLines.reloadFailed(config: settings.configPath, error: String(describing: error)))
        }
    }

    /// For `systemctl status`: what is watched and how many alerts are open.
    private func status() -> String {
        let names = session?.capture.interfaces ?? []
        let down = names.filter { downNow[$0] != nil }
        let open = tracker.openAlerts.count
        return "watching \(names.joined(separator: ","))"
            + (down.isEmpty ? "" : " (\(down.joined(separator: ",")) down)")
            + "; \(open) alert\(open == 1 ? "" : "s") open"
    }
}
