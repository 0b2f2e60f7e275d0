import PathVerifyCore

/// Open capture handles on some of the host's interfaces, and the config to verify their
/// traffic with; each `analyse` call verifies one stretch of traffic from scratch.
///
/// `capture` analyses one stretch; `top` one per refresh, for its verdict column.
public final class LiveSession {
    public let interfaces: [HostInterface]
    /// The operator's config merged with the kernel's facts (`Config.merged(withHost:)`).
    public let config: Config
    private let intentFilters: [BPFFilter?]
    private let maxFlows: Int
    private let capture: LiveCapture

    /// - Throws: `IntentFilterError` for an intent whose `bpf` does not compile,
    ///   `LiveCaptureError` for an interface that cannot be captured on.
    public init(
        interfaces: [HostInterface], host: [HostInterface], config: Config, maxFlows: Int, options: LiveCaptureOptions
    ) throws {
        self.interfaces = interfaces
        self.config = config.merged(withHost: host)
        intentFilters = try OfflineAnalyzer.compileIntentFilters(self.config)
        self.maxFlows = maxFlows
        capture = try LiveCapture(interfaces: interfaces.map(\.name), options: options)
    }

    /// Captures until `limits` or a signal say stop, and verifies what it saw.
    public func analyse(
        limits: LiveCapture.Limits, signals: TerminationSignals?, tickNanoseconds: UInt64 = 1_000_000_000,
        tick: () -> Void = {}, onPacket: ((CaptureRecord) -> Void)? = nil
    ) throws(LiveCaptureError) -> (result: AnalysisResult, end: LiveCapture.End) {
        var analysis = TrafficAnalysis(config: config, maxFlows: maxFlows, intentPredicates: intentFilters)
        // Slots 0, 1, ... in capture order: `EvidenceSpool` relies on it.
        let slots = interfaces.map { analysis.interface(named: $0.name, mac: $0.mac) }
        let end = try capture.run(
            limits: limits, signals: signals, tickNanoseconds: tickNanoseconds, tick: tick,
            afterDispatch: { analysis.flush() },
            { record in
                analysis.ingest(record, interface: slots[record.interfaceID])
                onPacket?(record)
            })
        return (analysis.result(), end)
    }

    /// libpcap's counts per interface since the handles opened (see `LiveCapture.statistics`).
    public func statistics() -> [(received: UInt64, dropped: UInt64)] { capture.statistics() }
}
