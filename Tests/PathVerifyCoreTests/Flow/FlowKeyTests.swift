import Testing

@testable import PathVerifyCore

@Suite struct FlowKeyTests {
    static func packet(source: UInt32 = 0x0A00_0001, sourcePort: UInt16 = 40000) -> DecodedPacket {
        var packet = DecodedPacket()
        packet.network = .ipv4
        packet.source = IPAddress(ipv4: source)
        packet.destination = IPAddress(ipv4: 0x0A00_0002)
        packet.ipProtocol = 6
        packet.sourcePort = sourcePort
        packet.destinationPort = 3260
        return packet
    }

    @Test func packedFieldsReadBackAsDecoded() {
        var packet = DecodedPacket()
        packet.network = .ipv6
        packet.source = IPAddress(ipv6High: 0xFE80_0000_0000_0000, low: 1)
        packet.destination = IPAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 0xFFFF_FFFF_FFFF_FFFF)
        packet.ipProtocol = 58
        packet.sourcePort = 0xFFFF
        packet.destinationPort = 0x8700
        packet.vlanTags = 2
        packet.outerVLAN = 4094
        packet.innerVLAN = 1
        packet.isLaterFragment = true
        let key = FlowKey(packet: packet, interface: 0xBEEF, direction: .inbound)
        #expect(key.source == packet.source && key.destination == packet.destination)
        #expect(key.sourcePort == 0xFFFF && key.destinationPort == 0x8700)
        #expect(key.vlanTags == 2 && key.outerVLAN == 4094 && key.innerVLAN == 1)
        #expect(key.interface == 0xBEEF && key.ipProtocol == 58 && key.direction == .inbound)
        #expect(key.isLaterFragment)
        #expect(MemoryLayout<FlowKey>.size == 44, "a table entry must stay one cache line")
    }

    @Test func everyFieldTellsFlowsApart() {
        let base = FlowKey(packet: Self.packet(), interface: 1, direction: .outbound)
        var others: [FlowKey] = [
            FlowKey(packet: Self.packet(source: 0x0A00_0003), interface: 1, direction: .outbound),
            FlowKey(packet: Self.packet(sourcePort: 40001), interface: 1, direction: .outbound),
            FlowKey(packet: Self.packet(), interface: 2, direction: .outbound),
            FlowKey(packet: Self.packet(), interface: 1, direction: .inbound),
        ]
        var tagged = Self.packet()
        tagged.vlanTags = 1
        tagged.outerVLAN = 10
        tagged.innerVLAN = 10
        others.append(FlowKey(packet: tagged, interface: 1, direction: .outbound))
        var udp = Self.packet()
        udp.ipProtocol = 17
        others.append(FlowKey(packet: udp, interface: 1, direction: .outbound))
        for other in others {
            #expect(!base.sameFlow(as: other) && base != other)
            #expect(base.fastHash != other.fastHash)
        }
        #expect(base.sameFlow(as: FlowKey(packet: Self.packet(), interface: 1, direction: .outbound)))
    }

    /// The table indexes by the hash's low bits: keys that differ in one field only (a port
    /// scan, a host sweep) must still spread over the slots, as a uniform hash would.
    @Test(arguments: ["port", "address"])
    func lowBitsSpreadKeysThatDifferInOneField(_ field: String) {
        let keys = 1 << 16
        let slots = 1 << 17
        var used = Set<Int>()
        for index in 0..<keys {
            let packet =
                field == "port"
                ? Self.packet(sourcePort: UInt16(index)) : Self.packet(source: 0x0A00_0000 | UInt32(index))
            used.insert(Int(truncatingIfNeeded: FlowKey(packet: packet, interface: 0, direction: .unknown).fastHash) & (slots - 1))
        }
        // 2^16 uniform throws into 2^17 slots fill about 51,600 distinct ones (n(1 - e^(-1/2))).
        #expect(used.count > 50_000, "only \(used.count) distinct slots for \(keys) keys")
    }
}
