/// Attributes every packet to its interface and direction, counts it into flows, and at the
/// end verifies the flows against the config.
///
/// The caller feeds records and says which interface each input was captured on; time comes
/// only from the packets. Nothing here does I/O.
public struct TrafficAnalysis {
    public let config: Config
    public private(set) var interfaces: [ObservedInterface] = []
    public private(set) var stats = AnalysisStats()
    private var slotsByName: [String: UInt16] = [:]
    private var slotsByIfindex: [UInt32: UInt16] = [:]
    private let ifindexNames: [UInt32: String]
    private var flows: FlowTable
    private var pending = PendingFlows()
    /// `stats.firstSeen` and `lastSeen` as plain integers, compared on every packet.
    private var earliest = Int64.max
    private var latest = Int64.min
    private var verifier: Verifier
    private let ownership: AddressOwnership
    private var resolutions: [ResolutionKey: ResolutionCounts] = [:]
    private let intentPredicates: [(any PacketPredicate)?]
    private let filter: (any PacketPredicate)?
    /// Teams need to know when each uplink was busy; nothing else does.
    private let tracksActivity: Bool

    struct ResolutionKey: Hashable {
        var address: IPAddress
        var mac: MACAddress?
        var interface: UInt16
        var direction: Direction
    }

    struct ResolutionCounts {
        var packets: UInt64
        var firstSeen: Timestamp
        var lastSeen: Timestamp
    }

    /// - Parameters:
    ///   - config: interfaces and intents; may be empty.
    ///   - maxFlows: the flow table's bound.
    ///   - intentPredicates: for each intent, in order, its compiled `bpf` selector, if it has one.
    ///   - filter: selects the packets to analyse (a tcpdump-style filter); `nil` takes all.
    ///   - ifindexNames: interface names for the ifindexes of Linux cooked v2 captures, beyond
    ///     those the config's interfaces give.
    public init(
        config: Config, maxFlows: Int, intentPredicates: [(any PacketPredicate)?] = [],
        filter: (any PacketPredicate)? = nil, ifindexNames: [UInt32: String] = [:]
    ) {
        self.config = config
        flows = FlowTable(capacity: maxFlows)
        verifier = Verifier(config: config)
        ownership = verifier.ownership
        self.intentPredicates = intentPredicates
        self.filter = filter
        tracksActivity = !config.teams.isEmpty
        var names = ifindexNames
        for interface in config.interfaces {
            if let ifindex = interface.ifindex, names[UInt32(ifindex)] == nil { names[UInt32(ifindex)] = interface.name }
        }
        self.ifindexNames = names
    }

    /// The slot of the interface with this kernel name, created on first use. A MAC given here
    /// (from a pcapng interface block) is used where the config gives none.
    public mutating func interface(named name: String, mac: MACAddress? = nil) -> UInt16 {
        if let slot = slotsByName[name] { return slot }
        let known = config.interface(named: name)
        let kernelName = known?.name ?? name
        if let slot = slotsByName[kernelName] { return slot }
        verifier.noteCaptured(kernelName)
        return addSlot(ObservedInterface(name: kernelName, isNamed: true, mac: known?.mac ?? mac), key: kernelName)
    }

    /// A slot for packets whose input does not name its interface; they are counted, not verified.
    public mutating func unnamedInterface(label: String) -> UInt16 {
        if let slot = slotsByName[label] { return slot }
        return addSlot(ObservedInterface(name: label, isNamed: false, mac: nil), key: label)
    }

    private mutating func addSlot(_ interface: ObservedInterface, key: String) -> UInt16 {
        let slot = UInt16(truncatingIfNeeded: interfaces.count)
        interfaces.append(interface)
        slotsByName[key] = slot
        return slot
    }

    /// Counts one packet.
    ///
    /// The packet's flow is counted in a batch with the next few packets' (see `PendingFlows`):
    /// the record's bytes must stay valid until the next `flush()`.
    /// - Parameter slot: the interface it was captured on; `nil` means "the ifindex in its Linux
    ///   cooked v2 header says", and an input with neither is `unnamedInterface`.
    public mutating func ingest(_ record: CaptureRecord, interface slot: UInt16?) {
        if let filter, !filter.matches(record) {
            stats.filteredOut += 1
            return
        }
        var packet = DecodedPacket()
        PacketDecoder.decode(record.data, linkType: record.linkType, into: &packet)
        let interface = slot ?? cookedInterface(packet.linuxIfindex)
        count(packet.network, packet.anomaly, record)
        let (direction, source) = Self.direction(
            of: packet, record, interfaceMAC: interfaces[Int(interface)].mac, ownership: ownership)
        stats.directionSources[source.index] &+= 1
        if tracksActivity { interfaces[Int(interface)].activity.note(record.timestamp) }
        switch direction {
        case .outbound: interfaces[Int(interface)].outbound.add(bytes: record.originalLength)
        case .inbound: interfaces[Int(interface)].inbound.add(bytes: record.originalLength)
        case .unknown: interfaces[Int(interface)].unknownDirection.add(bytes: record.originalLength)
        }
        switch packet.network {
        case .ipv4, .ipv6:
            if let resolution = packet.resolution, resolution.isAnswer {
                observe(resolution, interface: interface, direction: direction, at: record.timestamp)
            }
            pending.append(
                FlowKey(packet: packet, interface: interface, direction: direction), record,
                sourceMAC: packet.sourceMAC, destinationMAC: packet.destinationMAC, prefetchingFrom: flows)
            if pending.isFull { countWaiting(); pending.swap() }
        case .arp:
            if let resolution = packet.resolution, resolution.isAnswer {
                observe(resolution, interface: interface, direction: direction, at: record.timestamp)
            }
        case .other, .none:
            break
        }
    }

    /// Counts the flows of the packets ingested so far; after it, their records may go.
    public mutating func flush() {
        countWaiting()
        pending.swap()
        countWaiting()
        pending.swap()
    }

    private mutating func countWaiting() {
        guard pending.waiting > 0 else { return }
        flows.makeStorageUnique()
        for index in 0..<pending.waiting {
            // Field by field, not a copy of the packet: only a new flow needs the rest.
            let update = flows.recordInUniqueStorage(
                pending[waiting: index].key, hash: pending[waiting: index].hash,
                bytes: pending[waiting: index].originalLength, at: pending[waiting: index].time)
            if update.inserted { started(pending[waiting: index], at: update.position) }
        }
    }

    /// Completes a flow that `packet` started at `position` in the table.
    private mutating func started(_ packet: PendingFlows.Packet, at position: Int) {
        flows.setAddresses(source: packet.sourceMAC, destination: packet.destinationMAC, at: position)
        if let evicted = flows.takeEvicted() { absorb(evicted) }
        if !config.intents.isEmpty {
            // Once per flow: decode again rather than keep every packet's decoding.
            let decoded = PacketDecoder.decode(packet.data, linkType: packet.linkType)
            flows.setIntent(classify(decoded, packet.record), at: position)
        }
    }

    // These take fields, not the packet: passing the whole packet to a mutating method copies it.
    // Inline: as a call, it cost ~70 instructions a packet in spills around it (callgrind).
    @inline(__always)
    private mutating func count(_ network: DecodedPacket.Network, _ anomaly: DecodeAnomaly?, _ record: CaptureRecord) {
        // Wrapping adds: 2^64 packets or bytes cannot happen, and a check on each costs a branch.
        stats.packets &+= 1
        stats.wireBytes &+= UInt64(truncatingIfNeeded: record.originalLength)
        stats.capturedBytes &+= UInt64(truncatingIfNeeded: record.data.count)
        let time = record.timestamp.nanoseconds
        if time < earliest || stats.packets == 1 {
            earliest = time
            stats.firstSeen = record.timestamp
        }
        if time > latest || stats.packets == 1 {
            latest = time
            stats.lastSeen = record.timestamp
        }
        if let anomaly { stats.anomalies[Int(anomaly.rawValue)] += 1 }
        switch network {
        case .ipv4: stats.ipv4 &+= 1
        case .ipv6: stats.ipv6 &+= 1
        case .arp: stats.arp &+= 1
        case .other: stats.otherNetwork &+= 1
        case .none: stats.undecoded &+= 1
        }
    }

    private mutating func cookedInterface(_ ifindex: UInt32?) -> UInt16 {
        guard let ifindex else { return unnamedInterface(label: "(unnamed input)") }
        if let slot = slotsByIfindex[ifindex] { return slot }
        let slot =
            ifindexNames[ifindex].map { interface(named: $0) } ?? unnamedInterface(label: "ifindex \(ifindex)")
        slotsByIfindex[ifindex] = slot
        return slot
    }

    /// The packet's direction on its interface, and what told it (see `DirectionSource`).
    /// (Static and inline, so that the per-packet path copies neither the analysis nor the packet.)
    @inline(__always)
    private static func direction(
        of packet: DecodedPacket, _ record: CaptureRecord, interfaceMAC: MACAddress?, ownership: AddressOwnership
    ) -> (Direction, DirectionSource) {
        if record.direction != .unknown { return (record.direction, .file) }
        let cooked = packet.linuxDirection
        if cooked != .unknown { return (cooked, .cookedHeader) }
        if let mac = interfaceMAC {
            if packet.sourceMAC == mac { return (.outbound, .interfaceMAC) }
            if packet.destinationMAC == mac { return (.inbound, .interfaceMAC) }
        }
        if !ownership.isEmpty, packet.network != .none, packet.network != .other {
            let fromHost = ownership.owners[packet.source] != nil
            let toHost = ownership.owners[packet.destination] != nil
            if fromHost != toHost { return (fromHost ? .outbound : .inbound, .addressOwnership) }
        }
        return (.unknown, .unknown)
    }

    private func classify(_ packet: DecodedPacket, _ record: CaptureRecord) -> Int? {
        config.intents.indices.first { index in
            guard config.intents[index].selector.matches(packet) else { return false }
            guard index < intentPredicates.count, let predicate = intentPredicates[index] else { return true }
            return predicate.matches(record)
        }
    }

    private mutating func observe(
        _ resolution: AddressResolution, interface: UInt16, direction: Direction, at time: Timestamp
    ) {
        let key = ResolutionKey(
            address: resolution.senderAddress, mac: resolution.senderMAC, interface: interface, direction: direction)
        if var counts = resolutions[key] {
            counts.packets += 1
            counts.firstSeen = min(counts.firstSeen, time)
            counts.lastSeen = max(counts.lastSeen, time)
            resolutions[key] = counts
        } else {
            resolutions[key] = ResolutionCounts(packets: 1, firstSeen: time, lastSeen: time)
        }
    }

    private mutating func absorb(_ flow: FlowRecord) {
        let interface = interfaces[Int(flow.key.interface)]
        verifier.absorb(flow, interface: interface.isNamed ? interface.name : nil)
    }

    /// Verifies what was counted and returns the whole result. The analysis can go on after it.
    /// - Parameter links: the link state of a live capture; offline, `nil` (see `TeamChecker`).
    public mutating func result(links: LinkHistory? = nil) -> AnalysisResult {
        flush()
        var verifier = self.verifier
        flows.forEach { flow in
            let interface = interfaces[Int(flow.key.interface)]
            verifier.absorb(flow, interface: interface.isNamed ? interface.name : nil)
        }
        let observations = resolutions.map { key, counts in
            let interface = interfaces[Int(key.interface)]
            return ResolutionObservation(
                address: key.address, mac: key.mac, interface: interface.isNamed ? interface.name : nil,
                direction: key.direction, packets: counts.packets, firstSeen: counts.firstSeen,
                lastSeen: counts.lastSeen)
        }
        let span = stats.firstSeen.flatMap { first in stats.lastSeen.map { (first: first, last: $0) } }
        let named = interfaces.filter(\.isNamed)
        let verdicts = verifier.findings(
            resolutions: observations, span: span, links: links,
            activity: Dictionary(named.map { ($0.name, $0.activity.allSpans) }) { first, _ in first },
            traffic: Dictionary(named.map { ($0.name, (out: $0.outbound, in: $0.inbound)) }) { first, _ in first })
        return AnalysisResult(
            config: config, stats: stats, interfaces: interfaces, flows: flows,
            evictedFlows: flows.evictedFlows, evictedPackets: flows.evictedPackets,
            findings: verdicts.findings, teams: verdicts.teams,
            mismatchedFlows: verifier.mismatchedFlows, intents: verifier.intentUsage,
            unattributedPackets: verifier.unattributedPackets, unknownDirectionPackets: verifier.unknownDirectionPackets)
    }
}

extension DirectionSource {
    var index: Int {
        switch self {
        case .file: 0
        case .cookedHeader: 1
        case .interfaceMAC: 2
        case .addressOwnership: 3
        case .unknown: 4
        }
    }
}
