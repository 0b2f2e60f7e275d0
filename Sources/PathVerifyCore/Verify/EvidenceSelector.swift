/// Picks the packets that prove a result's findings: every packet of a flow that broke an
/// expectation, and every ARP reply or NDP advertisement for an address with ARP flux.
///
/// Records must be attributed as the analysis attributed them: the same interface slot, and
/// the direction in the record (as a live capture's spool has it).
public struct EvidenceSelector {
    private let flows: Set<FlowKey>
    private let addresses: Set<IPAddress>

    public init(_ result: AnalysisResult) {
        flows = result.mismatchedFlows
        addresses = Set(result.findings.filter { $0.kind == .arpFlux }.compactMap { $0.address.flatMap(IPAddress.init) })
    }

    /// Whether anything is to be selected at all.
    public var isEmpty: Bool { flows.isEmpty && addresses.isEmpty }

    public func selects(_ record: CaptureRecord, interface: UInt16) -> Bool {
        let packet = PacketDecoder.decode(record.data, linkType: record.linkType)
        if let resolution = packet.resolution, resolution.isAnswer, addresses.contains(resolution.senderAddress) {
            return true
        }
        guard packet.network == .ipv4 || packet.network == .ipv6 else { return false }
        return flows.contains(FlowKey(packet: packet, interface: interface, direction: record.direction))
    }
}
