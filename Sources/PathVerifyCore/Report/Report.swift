/// The report of one run, as `--json` prints it. Keys are stable and documented in README.md.
public struct Report: Sendable, Codable {
    public struct Capture: Sendable, Codable {
        public var packets: UInt64
        public var bytes: UInt64
        public var firstSeen: Timestamp?
        public var lastSeen: Timestamp?
        public var spanSeconds: Double
        public var filteredOut: UInt64
        public var ipv4: UInt64
        public var ipv6: UInt64
        public var arp: UInt64
        public var otherNetwork: UInt64
        public var undecoded: UInt64
        public var unattributedPackets: UInt64
        public var unknownDirectionPackets: UInt64
        public var directionSources: [String: UInt64]
        public var anomalies: [String: UInt64]
        public var flows: Int
        public var evictedFlows: Int
        public var evictedPackets: UInt64

        enum CodingKeys: String, CodingKey {
            case packets, bytes
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
            case spanSeconds = "span_seconds"
            case filteredOut = "filtered_out"
            case ipv4, ipv6, arp
            case otherNetwork = "other_network"
            case undecoded
            case unattributedPackets = "unattributed_packets"
            case unknownDirectionPackets = "unknown_direction_packets"
            case directionSources = "direction_sources"
            case anomalies, flows
            case evictedFlows = "evicted_flows"
            case evictedPackets = "evicted_packets"
        }
    }

    /// A live capture's view of the kernel's counters for one interface over the capture,
    /// as esxtop's network panel shows them.
    public struct KernelCounters: Sendable, Codable {
        public var state: String?
        public var speedMegabitsPerSecond: Int?
        public var txPackets: UInt64
        public var txBytes: UInt64
        public var rxPackets: UInt64
        public var rxBytes: UInt64
        public var txDropped: UInt64
        public var rxDropped: UInt64
        /// Absent until two samples were taken.
        public var txPacketsPerSecond: Double?
        public var txMegabitsPerSecond: Double?
        public var rxPacketsPerSecond: Double?
        public var rxMegabitsPerSecond: Double?
        public var txDroppedPercent: Double?
        public var rxDroppedPercent: Double?
        /// Sampling intervals lost to a counter reset or to the interface vanishing.
        public var resets: Int

        enum CodingKeys: String, CodingKey {
            case state
            case speedMegabitsPerSecond = "speed_mbps"
            case txPackets = "tx_packets"
            case txBytes = "tx_bytes"
            case rxPackets = "rx_packets"
            case rxBytes = "rx_bytes"
            case txDropped = "tx_dropped"
            case rxDropped = "rx_dropped"
            case txPacketsPerSecond = "pkttx_per_s"
            case txMegabitsPerSecond = "mbtx_per_s"
            case rxPacketsPerSecond = "pktrx_per_s"
            case rxMegabitsPerSecond = "mbrx_per_s"
            case txDroppedPercent = "pct_drptx"
            case rxDroppedPercent = "pct_drprx"
            case resets
        }

        init(_ stats: LiveInterfaceStats) {
            state = stats.state?.rawValue
            speedMegabitsPerSecond = stats.speedMegabitsPerSecond
            let growth = stats.kernel.growth
            txPackets = growth.txPackets
            txBytes = growth.txBytes
            rxPackets = growth.rxPackets
            rxBytes = growth.rxBytes
            txDropped = growth.txDropped
            rxDropped = growth.rxDropped
            let rates = stats.kernel.rates
            txPacketsPerSecond = rates?.txPacketsPerSecond
            txMegabitsPerSecond = rates?.txMegabitsPerSecond
            rxPacketsPerSecond = rates?.rxPacketsPerSecond
            rxMegabitsPerSecond = rates?.rxMegabitsPerSecond
            txDroppedPercent = rates?.txDroppedPercent
            rxDroppedPercent = rates?.rxDroppedPercent
            resets = stats.kernel.resets
        }
    }

    /// libpcap's own counts for one interface of a live capture.
    public struct CaptureCounts: Sendable, Codable {
        /// Packets that passed the filter, both directions.
        public var received: UInt64
        /// Packets the kernel dropped because the capture buffer was full.
        public var dropped: UInt64
    }

    /// One row of the esxtop-like interface table. Rates are over the capture's span.
    public struct InterfaceRow: Sendable, Codable {
        public var name: String
        public var alias: String?
        public var role: String?
        /// False for inputs that did not name their interface: counted, not verified.
        public var attributed: Bool
        public var txPackets: UInt64
        public var txBytes: UInt64
        public var rxPackets: UInt64
        public var rxBytes: UInt64
        public var unknownDirectionPackets: UInt64
        public var txPacketsPerSecond: Double
        public var txMegabitsPerSecond: Double
        public var rxPacketsPerSecond: Double
        public var rxMegabitsPerSecond: Double
        /// Live captures only: the kernel's counters over the capture, and libpcap's counts.
        public var kernel: KernelCounters?
        public var capture: CaptureCounts?

        enum CodingKeys: String, CodingKey {
            case name, alias, role, attributed, kernel, capture
            case txPackets = "tx_packets"
            case txBytes = "tx_bytes"
            case rxPackets = "rx_packets"
            case rxBytes = "rx_bytes"
            case unknownDirectionPackets = "unknown_direction_packets"
            case txPacketsPerSecond = "pkttx_per_s"
            case txMegabitsPerSecond = "mbtx_per_s"
            case rxPacketsPerSecond = "pktrx_per_s"
            case rxMegabitsPerSecond = "mbrx_per_s"
        }
    }

    public var schema = 1
    public var command: String
    public var verdict: Verdict
    public var inputs: [InputSummary]
    public var capture: Capture
    public var interfaces: [InterfaceRow]
    public var intents: [IntentUsage]
    public var findings: [Finding]
    /// Each team's uplinks and its flows' predicted and actual uplinks.
    public var teams: [TeamUsage]
    /// Things the reader should know about how far the verdict reaches.
    public var notes: [String]

    /// - Parameter live: for a live capture, each captured interface's counters.
    public init(command: String, inputs: [InputSummary], result: AnalysisResult, live: [LiveInterfaceStats] = []) {
        self.command = command
        self.inputs = inputs
        let stats = result.stats
        capture = Capture(
            packets: stats.packets, bytes: stats.wireBytes, firstSeen: stats.firstSeen, lastSeen: stats.lastSeen,
            spanSeconds: stats.spanSeconds, filteredOut: stats.filteredOut, ipv4: stats.ipv4, ipv6: stats.ipv6,
            arp: stats.arp, otherNetwork: stats.otherNetwork, undecoded: stats.undecoded,
            unattributedPackets: result.unattributedPackets, unknownDirectionPackets: result.unknownDirectionPackets,
            directionSources: Dictionary(uniqueKeysWithValues: stats.directionSourceCounts.map { ($0.source.rawValue, $0.count) }),
            anomalies: Dictionary(uniqueKeysWithValues: stats.anomalyCounts.map { ($0.anomaly.id, $0.count) }),
            flows: result.flows.count, evictedFlows: result.evictedFlows, evictedPackets: result.evictedPackets)
        let seconds = stats.spanSeconds
        func perSecond(_ value: UInt64) -> Double { seconds > 0 ? Double(value) / seconds : 0 }
        interfaces = result.interfaces.map { observed in
            let configured = result.config.interface(named: observed.name)
            return InterfaceRow(
                name: observed.name, alias: configured?.alias, role: configured?.role, attributed: observed.isNamed,
                txPackets: observed.outbound.packets, txBytes: observed.outbound.bytes,
                rxPackets: observed.inbound.packets, rxBytes: observed.inbound.bytes,
                unknownDirectionPackets: observed.unknownDirection.packets,
                txPacketsPerSecond: perSecond(observed.outbound.packets),
                txMegabitsPerSecond: perSecond(observed.outbound.bytes) * 8 / CounterRates.bitsPerMegabit,
                rxPacketsPerSecond: perSecond(observed.inbound.packets),
                rxMegabitsPerSecond: perSecond(observed.inbound.bytes) * 8 / CounterRates.bitsPerMegabit,
                kernel: nil, capture: nil)
        }
        for stats in live {
            guard let index = interfaces.firstIndex(where: { $0.name == stats.name }) else { continue }
            interfaces[index].kernel = KernelCounters(stats)
            interfaces[index].capture = CaptureCounts(received: stats.captureReceived, dropped: stats.captureDropped)
        }
        intents = result.intents
        teams = result.teams
        let reference = { (name: String) in
            InterfaceRef(name: name, alias: result.config.interface(named: name)?.alias)
        }
        let span = stats.firstSeen.flatMap { first in stats.lastSeen.map { (first: first, last: $0) } }
        findings = result.findings + CaptureLossCheck.findings(live, reference: reference, span: span)
            + InterfaceDownCheck.findings(live, reference: reference, at: span?.last)
        verdict = findings.isEmpty ? result.verdict : .mismatch
        notes = Report.notes(for: result)
    }

    static func notes(for result: AnalysisResult) -> [String] {
        var notes: [String] = []
        let ownership = AddressOwnership(interfaces: result.config.interfaces)
        if result.config.interfaces.isEmpty {
            notes.append(
                "no interfaces configured: address ownership is unknown, so only intents and ARP answers are checked "
                    + "(list the host's interfaces with their addresses in the config)")
        } else if ownership.multihomed.isEmpty, result.config.intents.isEmpty {
            notes.append("no two configured interfaces share a subnet: the address-ownership rule has nothing to check")
        }
        if result.unattributedPackets > 0 {
            notes.append(
                "\(result.unattributedPackets) IP packets came from inputs that do not name their interface; "
                    + "they were counted, not verified (name them as IFACE=FILE, or map SLL2 ifindexes with --ifmap)")
        }
        if result.unknownDirectionPackets > 0 {
            notes.append(
                "\(result.unknownDirectionPackets) IP packets have no known direction (no pcapng flags, no cooked "
                    + "header, no interface MAC or owned address matched); they were counted, not verified")
        }
        if result.evictedFlows > 0 {
            notes.append(
                "the flow table was full: \(result.evictedFlows) flows (\(result.evictedPackets) packets) were "
                    + "verified and then evicted; raise --max-flows to keep them in the flow list")
        }
        for team in result.teams {
            if team.linkState == "inferred" {
                notes.append(
                    "team \(team.team): offline, an uplink that carried no packets for a second or more is taken as "
                        + "down for that time (a failover looks like that in per-uplink captures)")
            }
            if team.unpredictableFlows > 0 {
                notes.append(
                    "team \(team.team): \(team.unpredictableFlows) flows' uplinks cannot be predicted from their headers "
                        + "(\(team.policy)); only that each source stays on one uplink was checked")
            }
            if team.uncheckedFlows > 0 {
                notes.append("team \(team.team): \(team.uncheckedFlows) outgoing flows beyond the checker's bound were not checked")
            }
        }
        return notes
    }

    enum CodingKeys: String, CodingKey {
        case schema, command, verdict, inputs, capture, interfaces, intents, teams, findings, notes
    }
}
