/// What makes packets one flow: VLANs, addresses, protocol and ports (or ICMP type and code),
/// plus the interface they were seen on and their direction there.
///
/// Flows are one-way, as NetFlow's are; a conversation is two flows. The key is 44 bytes so
/// that a table slot with its counters fills exactly one 64-byte cache line.
public struct FlowKey: Hashable, Sendable {
    public var sourceHigh: UInt64
    public var sourceLow: UInt64
    public var destinationHigh: UInt64
    public var destinationLow: UInt64
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Outer VLAN ID in bits 16-27, inner in bits 0-11, tag count in bits 28-31.
    public var vlans: UInt32
    /// The interface, as an index into the analysis's interface list.
    public var interface: UInt16
    public var ipProtocol: UInt8
    /// Bit 0: IPv6. Bits 1-2: `Direction` raw value. Bit 3: a later fragment (no ports).
    public var flags: UInt8

    @inline(__always)
    public init(packet: DecodedPacket, interface: UInt16, direction: Direction) {
        sourceHigh = packet.source.high
        sourceLow = packet.source.low
        destinationHigh = packet.destination.high
        destinationLow = packet.destination.low
        sourcePort = packet.sourcePort
        destinationPort = packet.destinationPort
        vlans = UInt32(min(packet.vlanTags, 15)) << 28 | UInt32(packet.outerVLAN) << 16 | UInt32(packet.innerVLAN)
        self.interface = interface
        ipProtocol = packet.ipProtocol
        flags = (packet.network == .ipv6 ? 1 : 0) | direction.rawValue << 1 | (packet.isLaterFragment ? 8 : 0)
    }

    public var source: IPAddress {
        flags & 1 != 0 ? IPAddress(ipv6High: sourceHigh, low: sourceLow) : IPAddress(ipv4: UInt32(truncatingIfNeeded: sourceLow))
    }

    public var destination: IPAddress {
        flags & 1 != 0
            ? IPAddress(ipv6High: destinationHigh, low: destinationLow)
            : IPAddress(ipv4: UInt32(truncatingIfNeeded: destinationLow))
    }

    public var direction: Direction { Direction(rawValue: flags >> 1 & 3) ?? .unknown }
    public var isLaterFragment: Bool { flags & 8 != 0 }
    public var outerVLAN: UInt16 { UInt16(vlans >> 16 & 0xFFF) }
    public var innerVLAN: UInt16 { UInt16(vlans & 0xFFF) }
    public var vlanTags: Int { Int(vlans >> 28) }

    /// Equality without a branch per field: the flow table compares keys on every packet.
    @inline(__always)
    func sameFlow(as other: FlowKey) -> Bool {
        let addresses =
            (sourceHigh ^ other.sourceHigh) | (sourceLow ^ other.sourceLow) | (destinationHigh ^ other.destinationHigh)
            | (destinationLow ^ other.destinationLow)
        let rest =
            (UInt64(sourcePort ^ other.sourcePort) << 48 | UInt64(destinationPort ^ other.destinationPort) << 32
            | UInt64(vlans ^ other.vlans))
            | (UInt64(interface ^ other.interface) << 16 | UInt64(ipProtocol ^ other.ipProtocol) << 8
                | UInt64(flags ^ other.flags))
        return addresses | rest == 0
    }

    /// A fast 64-bit mix of every field (multiply-xorshift, as in bench/ref/pcap_flows.c);
    /// the flow table needs speed and spread, not resistance to chosen keys.
    @inline(__always)
    var fastHash: UInt64 {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        @inline(__always) func mix(_ word: UInt64) {
            hash ^= word
            hash = hash &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
        }
        mix(sourceHigh)
        mix(sourceLow)
        mix(destinationHigh)
        mix(destinationLow)
        mix(UInt64(sourcePort) << 48 | UInt64(destinationPort) << 32 | UInt64(vlans))
        mix(UInt64(interface) << 16 | UInt64(ipProtocol) << 8 | UInt64(flags))
        return hash ^ hash >> 32
    }
}
