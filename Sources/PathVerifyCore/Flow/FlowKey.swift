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
    /// Source port in bits 48-63, destination port in 32-47, `vlans` in 0-31: the small fields
    /// packed in words, so that comparing and hashing a key take six words and no shifts.
    var portsAndVLANs: UInt64
    /// `interface` in bits 16-31, `ipProtocol` in 8-15, `flags` in 0-7.
    var rest: UInt32

    @inline(__always)
    public init(packet: DecodedPacket, interface: UInt16, direction: Direction) {
        sourceHigh = packet.source.high
        sourceLow = packet.source.low
        destinationHigh = packet.destination.high
        destinationLow = packet.destination.low
        let vlans = UInt32(min(packet.vlanTags, 15)) << 28 | UInt32(packet.outerVLAN) << 16 | UInt32(packet.innerVLAN)
        portsAndVLANs = UInt64(packet.sourcePort) << 48 | UInt64(packet.destinationPort) << 32 | UInt64(vlans)
        let flags = (packet.network == .ipv6 ? 1 : 0) | direction.rawValue << 1 | (packet.isLaterFragment ? 8 : 0)
        rest = UInt32(interface) << 16 | UInt32(packet.ipProtocol) << 8 | UInt32(flags)
    }

    public var sourcePort: UInt16 { UInt16(truncatingIfNeeded: portsAndVLANs >> 48) }
    /// For ICMP and ICMPv6, `type << 8 | code`.
    public var destinationPort: UInt16 { UInt16(truncatingIfNeeded: portsAndVLANs >> 32) }
    /// Outer VLAN ID in bits 16-27, inner in bits 0-11, tag count in bits 28-31.
    public var vlans: UInt32 { UInt32(truncatingIfNeeded: portsAndVLANs) }
    /// The interface, as an index into the analysis's interface list.
    public var interface: UInt16 { UInt16(truncatingIfNeeded: rest >> 16) }
    public var ipProtocol: UInt8 { UInt8(truncatingIfNeeded: rest >> 8) }
    /// Bit 0: IPv6. Bits 1-2: `Direction` raw value. Bit 3: a later fragment (no ports).
    public var flags: UInt8 { UInt8(truncatingIfNeeded: rest) }

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
        return addresses | (portsAndVLANs ^ other.portsAndVLANs) | UInt64(rest ^ other.rest) == 0
    }

    /// A fast 64-bit hash of every field: three independent 64 × 64 → 128-bit multiplies of the
    /// key's words, each folded (high ^ low), as wyhash mixes. The flow table needs speed and
    /// spread, not resistance to chosen keys. The constants keep a zero word (an IPv4 key's high
    /// halves) from zeroing its product.
    @inline(__always)
    var fastHash: UInt64 {
        @inline(__always) func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let product = a.multipliedFullWidth(by: b)
            return product.high ^ product.low
        }
        return fold(sourceHigh ^ 0xA076_1D64_78BD_642F, destinationHigh ^ 0xE703_7ED1_A0B4_28DB)
            ^ fold(sourceLow ^ 0x8EBC_6AF0_9C88_C6E3, destinationLow ^ 0x5899_65CC_7537_4CC3)
            ^ fold(portsAndVLANs ^ 0x1D8E_4E27_C47D_124F, UInt64(rest) ^ 0x243F_6A88_85A3_08D3)
    }
}
