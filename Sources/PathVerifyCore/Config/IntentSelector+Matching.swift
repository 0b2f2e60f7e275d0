extension IntentSelector {
    /// Whether the decoded packet belongs to this selector's conversation, in either orientation.
    /// A `bpf` expression is not evaluated here: the platform layer compiles and applies it.
    public func matches(_ packet: DecodedPacket) -> Bool {
        guard packet.network == .ipv4 || packet.network == .ipv6 else { return false }
        if !protocols.isEmpty, !protocols.contains(packet.ipProtocol) { return false }
        if !ports.isEmpty {
            guard packet.hasTransport, packet.ipProtocol != 1, packet.ipProtocol != 58 else { return false }
            let hit = ports.contains { $0.contains(packet.sourcePort) || $0.contains(packet.destinationPort) }
            if !hit { return false }
        }
        func inside(_ address: IPAddress, _ prefixes: [IPPrefix]) -> Bool {
            prefixes.isEmpty || prefixes.contains { $0.contains(address) }
        }
        let forward = inside(packet.source, sources) && inside(packet.destination, destinations)
        let reverse = inside(packet.destination, sources) && inside(packet.source, destinations)
        return forward || reverse
    }
}

/// A per-packet test that the core cannot do itself, such as a compiled BPF program.
public protocol PacketPredicate: AnyObject {
    func matches(_ record: CaptureRecord) -> Bool
}
