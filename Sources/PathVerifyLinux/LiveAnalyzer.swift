import PathVerifyCore

/// Captures live on some of the host's interfaces and verifies what it saw, with the same
/// analysis as `OfflineAnalyzer`.
///
/// Address ownership and MACs come from the kernel (`Config.merged(withHost:)`); aliases,
/// roles and intents from the config. The kernel counters of the captured interfaces are
/// sampled at the start, every `sampleInterval` and at the end, and the interfaces' facts are
/// asked of `hostSource` at each sample (which may answer from what it read last, see
/// `WatchedHostInterfaceSource`), so that a change during the capture is reported.
public struct LiveAnalyzer {
    public var config: Config
    public var maxFlows: Int
    public var options: LiveCaptureOptions
    public var limits: LiveCapture.Limits
    public var sampleIntervalNanoseconds: UInt64 = 1_000_000_000
    public var hostSource: any HostInterfaceSource = SysfsHostInterfaceSource()
    public var counterSource: any InterfaceCounterSource = SysfsCounterSource()

    public init(config: Config, maxFlows: Int, options: LiveCaptureOptions, limits: LiveCapture.Limits) {
        self.config = config
        self.maxFlows = maxFlows
        self.options = options
        self.limits = limits
    }

    public struct Outcome {
        public var result: AnalysisResult
        public var live: [LiveInterfaceStats]
        public var end: LiveCapture.End
        /// What changed on the host during the capture, in words.
        public var changes: [String]
    }

    /// - Parameters:
    ///   - interfaces: the ones to capture on (see `InterfaceSelection`).
    ///   - host: every interface of the host now, for address ownership.
    ///   - onStart: called once every handle is open, just before capturing starts.
    ///   - onPacket: called for each packet after it was counted, for evidence; its bytes are
    ///     valid only during the call.
    ///   - onFailure: called when an interface's capture fails; the others go on, and the
    ///     report has an `interface-down` finding for it.
    public func run(
        on interfaces: [HostInterface], host: [HostInterface], signals: TerminationSignals?,
        onStart: () -> Void = {}, onFailure: (LiveCaptureError) -> Void = { _ in },
        onPacket: ((CaptureRecord) -> Void)? = nil
    ) throws -> Outcome {
        let session = try LiveSession(
            interfaces: interfaces.map(\.name), host: host, config: config, maxFlows: maxFlows, options: options)

        var tracker = CounterRateTracker()
        var totals = Array(repeating: CounterTotals(), count: interfaces.count)
        var facts = interfaces
        var changes: [String] = []
        func sample() {
            // One read of the host per tick, for the link states and the changes; a passing read
            // error leaves both as they were.
            let host = try? hostSource.interfaces()
            if let host { session.noteLinks(host, at: SystemClock.now()) }
            for (index, interface) in interfaces.enumerated() {
                let reading = try? counterSource.sample(interface.name)
                totals[index].add(tracker.observe(interface.name, reading))
                guard let host else { continue }
                let now = host.first { $0.name == interface.name }
                if let change = Self.change(from: facts[index], to: now, name: interface.name) {
                    changes.append(change)
                    if let now { facts[index] = now }
                }
            }
        }
        sample()
        onStart()
        let (result, end) = session.analyse(
            limits: limits, signals: signals, tickNanoseconds: sampleIntervalNanoseconds, tick: sample,
            onFailure: onFailure, onPacket: onPacket)
        sample()
        let pcap = session.statistics()
        let live = interfaces.indices.map { index in
            LiveInterfaceStats(
                name: interfaces[index].name, state: facts[index].operationalState,
                speedMegabitsPerSecond: facts[index].speedMegabitsPerSecond, kernel: totals[index],
                captureReceived: pcap[index].received, captureDropped: pcap[index].dropped,
                down: session.capture.failure(of: index).map { "capture failed: \($0.message)" })
        }
        return Outcome(result: result, live: live, end: end, changes: changes)
    }

    /// A change of state or addresses worth telling, or `nil`.
    static func change(from before: HostInterface, to after: HostInterface?, name: String) -> String? {
        guard let after else { return "\(name) disappeared during the capture" }
        if after.ifindex != before.ifindex { return "\(name) was re-created during the capture" }
        if after.operationalState != before.operationalState {
            return "\(name) went \(before.operationalState.rawValue) → \(after.operationalState.rawValue) during the capture"
        }
        if Set(after.addresses) != Set(before.addresses) {
            return "\(name) changed addresses during the capture: "
                + "\(before.addresses.map(\.description).joined(separator: ", ")) → "
                + "\(after.addresses.map(\.description).joined(separator: ", ")); ownership uses the first ones"
        }
        return nil
    }
}
