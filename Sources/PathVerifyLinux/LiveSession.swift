import PathVerifyCore

/// Open capture handles on some of the host's interfaces, and the config to verify their
/// traffic with; each `analyse` call verifies one stretch of traffic from scratch.
///
/// `capture` analyses one stretch; `top` one per refresh, for its verdict column; `run` one per
/// window, and `reconfigure`s on SIGHUP.
public final class LiveSession {
    /// The operator's config merged with the kernel's facts (`Config.merged(withHost:)`).
    public private(set) var config: Config
    /// The operator's config as loaded, for merging with fresh host facts.
    private var operatorConfig: Config
    private var intentFilters: [BPFFilter?]
    /// Each interface's MAC from the kernel, for the analysis's own-MAC checks.
    private var macs: [String: MACAddress]
    private let maxFlows: Int
    public let capture: LiveCapture
    /// The captured interfaces' link state as the ticks saw it, for the team checks.
    private var links = LinkHistory()
    /// The bonds the kernel reports, read with the host's facts.
    private var bonds: [BondStatus]
    private let bondSource: any BondStatusSource

    /// - Parameters:
    ///   - interfaces: the names to capture on.
    ///   - host: every interface of the host now, for address ownership and MACs.
    ///   - tolerateFailures: see `LiveCapture.init`.
    /// - Throws: `IntentFilterError` for an intent whose `bpf` does not compile,
    ///   `LiveCaptureError` for an interface that cannot be captured on.
    public init(
        interfaces: [String], host: [HostInterface], config: Config, maxFlows: Int, options: LiveCaptureOptions,
        tolerateFailures: Bool = false, bondSource: any BondStatusSource = ProcBondSource()
    ) throws {
        operatorConfig = config
        self.bondSource = bondSource
        bonds = Self.bonds(from: bondSource)
        self.config = config.merged(withHost: host, bonds: bonds)
        intentFilters = try OfflineAnalyzer.compileIntentFilters(self.config)
        macs = Self.macs(host)
        self.maxFlows = maxFlows
        capture = try LiveCapture(interfaces: interfaces, options: options, tolerateFailures: tolerateFailures)
    }

    /// Swaps in a new config and set of interfaces; the interfaces that stay keep their handles.
    /// - Throws: `IntentFilterError` before anything changed, when an intent's `bpf` does not compile.
    public func reconfigure(
        config: Config, host: [HostInterface], interfaces: [String]
    ) throws -> (kept: [String], opened: [String], closed: [String], failed: [LiveCaptureError]) {
        bonds = Self.bonds(from: bondSource)
        let merged = config.merged(withHost: host, bonds: bonds)
        intentFilters = try OfflineAnalyzer.compileIntentFilters(merged)
        operatorConfig = config
        self.config = merged
        macs = Self.macs(host)
        return capture.reconcile(interfaces)
    }

    /// Takes the host's facts again (addresses and MACs), for the next `analyse`: an interface
    /// that was re-created, or appeared late, may have new ones. The intents are unchanged.
    public func refresh(host: [HostInterface]) {
        bonds = Self.bonds(from: bondSource)
        config = operatorConfig.merged(withHost: host, bonds: bonds)
        macs = Self.macs(host)
    }

    /// Notes the captured interfaces' link state and speed at `time` (a tick's reading of the
    /// host), so that the team checks know which uplinks were usable when.
    public func noteLinks(_ host: [HostInterface], at time: Timestamp) {
        for name in capture.interfaces {
            let fact = host.first { $0.name == name }
            links.observe(name, up: fact?.isLinkUp ?? false, at: time)
            if let speed = fact?.speedMegabitsPerSecond, speed > 0 { links.speeds[name] = Double(speed) }
        }
    }

    /// Captures until `limits` or a signal say stop, and verifies what it saw.
    public func analyse(
        limits: LiveCapture.Limits, signals: TerminationSignals?, tickNanoseconds: UInt64 = 1_000_000_000,
        tick: () -> Void = {}, onFailure: (LiveCaptureError) -> Void = { _ in },
        onPacket: ((CaptureRecord) -> Void)? = nil
    ) -> (result: AnalysisResult, end: LiveCapture.End) {
        var analysis = TrafficAnalysis(config: config, maxFlows: maxFlows, intentPredicates: intentFilters)
        // Slots 0, 1, ... in capture order: `EvidenceSpool` relies on it.
        let slots = capture.interfaces.map { analysis.interface(named: $0, mac: macs[$0]) }
        let end = capture.run(
            limits: limits, signals: signals, tickNanoseconds: tickNanoseconds, tick: tick, onFailure: onFailure,
            afterDispatch: { analysis.flush() },
            { record in
                analysis.ingest(record, interface: slots[record.interfaceID])
                onPacket?(record)
            })
        defer { links.forget(before: SystemClock.now()) }
        var result = analysis.result(links: links)
        result.findings += TeamDriftCheck.findings(teams: operatorConfig.teams, bonds: bonds)
        return (result, end)
    }

    /// libpcap's counts per interface since the handles opened (see `LiveCapture.statistics`).
    public func statistics() -> [(received: UInt64, dropped: UInt64)] { capture.statistics() }

    /// A bond file that cannot be read or parsed leaves the host unbonded for pathverify,
    /// rather than stopping the capture.
    private static func bonds(from source: any BondStatusSource) -> [BondStatus] {
        (try? source.bonds()) ?? []
    }

    private static func macs(_ host: [HostInterface]) -> [String: MACAddress] {
        Dictionary(host.compactMap { interface in interface.mac.map { (interface.name, $0) } }) { first, _ in first }
    }
}
