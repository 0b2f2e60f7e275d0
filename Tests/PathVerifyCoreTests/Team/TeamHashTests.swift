import Testing

@testable import PathVerifyCore

// The hash values below were worked independently of TeamHash.swift, by
// Tests/PathVerifyCoreTests/Team/bond_hash_vectors.py. That script builds each flow's frame byte by
// byte (struct.pack, network order) and hashes it as the bonding driver reads that memory on a
// little-endian host (struct.unpack('<...'); be16_to_cpu as '>H'). It follows bond_main.c
// (__bond_xmit_hash, bond_eth_hash, bond_vlan_srcmac_hash, bond_flow_dissect, bond_flow_ip,
// bond_ip_hash) and flow_dissector.c (flow_get_u32_src/dst, skb_flow_get_ports,
// skb_flow_get_icmp_tci), plus ipv6_addr_hash, proto_ports_offset, icmp_is_err and icmpv6_is_err.
// Its output was pasted here. Re-run it to check: python3 Tests/PathVerifyCoreTests/Team/bond_hash_vectors.py
@Suite struct TeamHashTests {
    static let macA = MACAddress(rawValue: 0x5254_0012_3456)  // 52:54:00:12:34:56, the sender
    static let macB = MACAddress(rawValue: 0x001B_21AB_CDEF)  // 00:1b:21:ab:cd:ef, the next hop

    static func address(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else {
            Issue.record("bad address literal \(text)")
            return IPAddress(ipv4: 0)
        }
        return address
    }

    static func flow(
        _ source: String, _ sourcePort: UInt16, _ destination: String, _ destinationPort: UInt16,
        protocol ipProtocol: UInt8, vlan: UInt16 = 0, fragment: Bool = false,
        sourceMAC: MACAddress? = macA, destinationMAC: MACAddress? = macB
    ) -> TeamHashInput {
        TeamHashInput(
            sourceMAC: sourceMAC, destinationMAC: destinationMAC, vlan: vlan, source: address(source),
            destination: address(destination), ipProtocol: ipProtocol, sourcePort: sourcePort,
            destinationPort: destinationPort, isFragment: fragment)
    }

    /// ICMP and ICMPv6 as the flow key keeps them: `type << 8 | code` in the destination port.
    static func icmp(_ source: String, _ destination: String, type: UInt8, code: UInt8 = 0, v6: Bool = false)
        -> TeamHashInput
    {
        flow(source, 0, destination, UInt16(type) << 8 | UInt16(code), protocol: v6 ? 58 : 1)
    }

    static let tcp4 = flow("192.168.10.21", 49152, "192.168.10.57", 443, protocol: 6)
    static let udp4 = flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17)
    static let tcp6 = flow("2001:db8::10", 50000, "2001:db8:0:1::20", 22, protocol: 6)
    static let udp6 = flow("fd00:99::12", 40000, "fd00:99::34", 4789, protocol: 17)

    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: BondHashPolicy
        var input: TeamHashInput
        var expected: UInt32? = nil
        var testDescription: String { "\(name) \(policy.name)" }
    }

    static let vectors: [Vector] = [
        // Every computable policy on an IPv4 TCP flow. encap2+3 equals layer2+3 without a tunnel.
        Vector(name: "ipv4 tcp", policy: .layer2, input: tcp4, expected: 0x0000_08B9),
        Vector(name: "ipv4 tcp", policy: .layer23, input: tcp4, expected: 0x2C2C_249D),
        Vector(name: "ipv4 tcp", policy: .encap23, input: tcp4, expected: 0x2C2C_249D),
        Vector(name: "ipv4 tcp", policy: .layer34, input: tcp4, expected: 0x4BCB_4B2B),
        Vector(name: "ipv4 tcp", policy: .vlanSourceMAC, input: tcp4, expected: 0x0040_6056),
        // IPv4 UDP.
        Vector(name: "ipv4 udp", policy: .layer2, input: udp4, expected: 0x0000_08B9),
        Vector(name: "ipv4 udp", policy: .layer23, input: udp4, expected: 0x2E2E_269F),
        Vector(name: "ipv4 udp", policy: .encap23, input: udp4, expected: 0x2E2E_269F),
        Vector(name: "ipv4 udp", policy: .layer34, input: udp4, expected: 0x4DC4_E4AA),
        Vector(name: "ipv4 udp", policy: .vlanSourceMAC, input: udp4, expected: 0x0040_6056),
        // IPv6: EtherType 0x86DD in the eth hash, ipv6_addr_hash for the addresses.
        Vector(name: "ipv6 tcp", policy: .layer2, input: tcp6, expected: 0x0000_8664),
        Vector(name: "ipv6 tcp", policy: .layer23, input: tcp6, expected: 0x3131_B7D3),
        Vector(name: "ipv6 tcp", policy: .encap23, input: tcp6, expected: 0x3131_B7D3),
        Vector(name: "ipv6 tcp", policy: .layer34, input: tcp6, expected: 0x1393_BBDA),
        Vector(name: "ipv6 tcp", policy: .vlanSourceMAC, input: tcp6, expected: 0x0040_6056),
        Vector(name: "ipv6 udp", policy: .layer23, input: udp6, expected: 0x2626_A0C4),
        Vector(name: "ipv6 udp", policy: .layer34, input: udp6, expected: 0x49C0_E0AE),
        // The TCP flow through a VLAN 100 device on the bond: vlan+srcmac XORs in 100 (0x64).
        // layer2+3 and layer3+4 do not read the tag.
        Vector(
            name: "ipv4 tcp vlan 100", policy: .vlanSourceMAC,
            input: flow("192.168.10.21", 49152, "192.168.10.57", 443, protocol: 6, vlan: 100), expected: 0x0040_6032),
        Vector(
            name: "ipv4 tcp vlan 100", policy: .layer23,
            input: flow("192.168.10.21", 49152, "192.168.10.57", 443, protocol: 6, vlan: 100), expected: 0x2C2C_249D),
        Vector(
            name: "ipv4 tcp vlan 100", policy: .layer34,
            input: flow("192.168.10.21", 49152, "192.168.10.57", 443, protocol: 6, vlan: 100), expected: 0x4BCB_4B2B),
        // Fragments of the UDP flow: no ports under layer3+4, whether the key kept them (first
        // fragment) or not (later ones); so 0x17171717, not the unfragmented 0x4DC4E4AA.
        // layer2+3 is unchanged.
        Vector(
            name: "ipv4 udp first fragment", policy: .layer34,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, fragment: true), expected: 0x1717_1717),
        Vector(
            name: "ipv4 udp later fragment", policy: .layer34,
            input: flow("10.99.0.12", 0, "10.99.0.34", 0, protocol: 17, fragment: true), expected: 0x1717_1717),
        Vector(
            name: "ipv4 udp first fragment", policy: .layer23,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, fragment: true), expected: 0x2E2E_269F),
        Vector(
            name: "ipv6 udp first fragment", policy: .layer34,
            input: flow("fd00:99::12", 40000, "fd00:99::34", 4789, protocol: 17, fragment: true),
            expected: 0x1313_1313),
        // Non-echo, non-error ICMP under layer3+4: proto_ports_offset(ICMP) is -EINVAL and the
        // type has no identifier, so the seed is 0.
        Vector(
            name: "icmp router solicitation", policy: .layer34, input: icmp("10.99.0.12", "10.99.0.1", type: 10),
            expected: 0x0686_8686),
        Vector(
            name: "icmp router solicitation", policy: .layer23, input: icmp("10.99.0.12", "10.99.0.1", type: 10),
            expected: 0x0D0D_05BC),
        Vector(
            name: "icmpv6 neighbor solicitation", policy: .layer34,
            input: icmp("fd00:99::12", "fd00:99::34", type: 135, v6: true), expected: 0x1313_1313),
        // Echo is computable where the identifier is not read, and so is an ICMP error under
        // encap2+3 (the full dissector does not open it).
        Vector(
            name: "icmp echo", policy: .layer23, input: icmp("10.99.0.12", "10.99.0.34", type: 8),
            expected: 0x2E2E_269F),
        Vector(
            name: "icmp port unreachable", policy: .encap23,
            input: icmp("10.99.0.12", "10.99.0.34", type: 3, code: 3), expected: 0x2E2E_269F),
        // Cooked captures keep only the source MAC, which is all vlan+srcmac reads.
        Vector(
            name: "ipv4 tcp, no destination MAC", policy: .vlanSourceMAC,
            input: flow("192.168.10.21", 49152, "192.168.10.57", 443, protocol: 6, destinationMAC: nil),
            expected: 0x0040_6056),
    ]

    @Test(arguments: vectors)
    func bondHashMatchesTheKernelFormula(_ vector: Vector) {
        #expect(TeamHash.bond(vector.policy, vector.input) == vector.expected)
    }

    static let unknowable: [Vector] = [
        // A MAC that the policy reads is missing.
        Vector(
            name: "no MACs", policy: .layer2,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, sourceMAC: nil, destinationMAC: nil)),
        Vector(
            name: "no destination MAC", policy: .layer2,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, destinationMAC: nil)),
        Vector(
            name: "no destination MAC", policy: .layer23,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, destinationMAC: nil)),
        Vector(
            name: "no source MAC", policy: .encap23,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, sourceMAC: nil)),
        Vector(
            name: "no source MAC", policy: .vlanSourceMAC,
            input: flow("10.99.0.12", 40000, "10.99.0.34", 4789, protocol: 17, sourceMAC: nil)),
        // encap3+4: skb->hash for locally made TCP (skb->l4_hash), whatever the headers say.
        Vector(name: "ipv4 tcp", policy: .encap34, input: tcp4),
        Vector(name: "ipv6 udp", policy: .encap34, input: udp6),
        // layer3+4 hashes the echo (and timestamp) identifier, which the key does not keep. The
        // script shows the same flow with identifiers 0x1F2E and 0x1F2F giving 0x188F8F8B and 0x188F0F0B.
        Vector(name: "icmp echo request", policy: .layer34, input: icmp("10.99.0.12", "10.99.0.34", type: 8)),
        Vector(name: "icmp echo reply", policy: .layer34, input: icmp("10.99.0.34", "10.99.0.12", type: 0)),
        Vector(name: "icmp timestamp", policy: .layer34, input: icmp("10.99.0.12", "10.99.0.34", type: 13)),
        Vector(
            name: "icmpv6 echo request", policy: .layer34,
            input: icmp("fd00:99::12", "fd00:99::34", type: 128, v6: true)),
        Vector(
            name: "icmpv6 echo reply", policy: .layer34,
            input: icmp("fd00:99::34", "fd00:99::12", type: 129, v6: true)),
        // ICMP errors are hashed on the quoted datagram. The script shows layer2+3 moving with the
        // quoted source (0x414149F0 for 10.99.0.77, 0x42424AF3 for 10.99.0.78).
        Vector(
            name: "icmp port unreachable", policy: .layer23, input: icmp("10.99.0.12", "10.99.0.34", type: 3, code: 3)),
        Vector(
            name: "icmp port unreachable", policy: .layer34, input: icmp("10.99.0.12", "10.99.0.34", type: 3, code: 3)),
        Vector(
            name: "icmpv6 packet too big", policy: .layer34,
            input: icmp("fd00:99::12", "fd00:99::34", type: 2, v6: true)),
        // ESP's SPI is read as the ports under layer3+4; IP-in-IP is opened by encap2+3.
        Vector(name: "esp", policy: .layer34, input: flow("10.99.0.12", 0, "10.99.0.34", 0, protocol: 50)),
        Vector(name: "ipip", policy: .encap23, input: flow("10.99.0.12", 0, "10.99.0.34", 0, protocol: 4)),
    ]

    @Test(arguments: unknowable)
    func bondHashIsNilWhenTheKeyLacksWhatTheKernelReads(_ vector: Vector) {
        #expect(TeamHash.bond(vector.policy, vector.input) == nil)
    }

    @Test func fragmentsAreHashedWithoutTheHeadersTheyDoNotCarry() {
        // ip_is_fragment leaves the protocol unset, so an echo fragment or an ICMP error fragment is
        // hashed on the outer addresses with ports 0. So is an ESP fragment. 10.99.0.12 -> 10.99.0.34
        // with seed 0 is 0x17171717 (the UDP fragment vector above).
        var echo = Self.icmp("10.99.0.12", "10.99.0.34", type: 8)
        echo.isFragment = true
        #expect(TeamHash.bond(.layer34, echo) == 0x1717_1717)
        var error = Self.icmp("10.99.0.12", "10.99.0.34", type: 3, code: 3)
        error.isFragment = true
        #expect(TeamHash.bond(.layer23, error) == 0x2E2E_269F)
        let esp = Self.flow("10.99.0.12", 0, "10.99.0.34", 0, protocol: 50, fragment: true)
        #expect(TeamHash.bond(.layer34, esp) == 0x1717_1717)
    }

    // Worked by hand: layer3+4, TCP 10.0.0.1:40000 -> 10.0.0.2:80, as the kernel sees it on x86-64.
    //   ports: the bytes on the wire are 9C 40 (40000) then 00 50 (80); memcpy into a u32 read
    //          little-endian gives 0x5000409C.
    //   saddr: 0A 00 00 01 read little-endian is 0x0100000A; daddr 0A 00 00 02 is 0x0200000A.
    //   hash  = 0x5000409C ^ 0x0200000A ^ 0x0100000A    = 0x5300409C
    //   hash ^= hash >> 16: 0x5300409C ^ 0x00005300     = 0x5300139C
    //   hash ^= hash >> 8:  0x5300139C ^ 0x00530013     = 0x5353138F
    //   hash >> 1 (layer3+4 only)                       = 0x29A989C7 (698976711), which is the script's value.
    //   Over 2 uplinks: 698976711 % 2 = 1. Over 3: 698976711 = 3 * 232992237, so 0.
    // And layer2+3, with MACs 02:00:00:00:0a:01 -> 02:00:00:00:0a:02:
    //   eth   = 0x02 ^ 0x01 ^ 0x0800                     = 0x00000803
    //   hash  = 0x00000803 ^ 0x0200000A ^ 0x0100000A    = 0x03000803
    //   hash ^= hash >> 16: 0x03000803 ^ 0x00000300     = 0x03000B03
    //   hash ^= hash >> 8:  0x03000B03 ^ 0x0003000B     = 0x03030B08 (no shift), the script's value.
    @Test func handWorkedIPv4Example() {
        let input = TeamHashInput(
            sourceMAC: MACAddress(rawValue: 0x0200_0000_0A01), destinationMAC: MACAddress(rawValue: 0x0200_0000_0A02),
            source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002), ipProtocol: 6,
            sourcePort: 40000, destinationPort: 80)
        #expect(TeamHash.layer34Seed(input) == 0x5000_409C)
        #expect(TeamHash.addressWord(input.source) == 0x0100_000A)
        #expect(TeamHash.bond(.layer34, input) == 0x29A9_89C7)
        #expect(TeamHash.bond(.layer23, input) == 0x0303_0B08)
        #expect(TeamHash.index(of: 0x29A9_89C7, among: 2) == 1)
        #expect(TeamHash.index(of: 0x29A9_89C7, among: 3) == 0)
    }

    // Published numbers: commit 49aefd131739 ("bonding: do not discard lowest hash bit for non layer3+4
    // hashing") shows bond_ip_hash with eth parts 0xa0/0xa1 ^ 0xe3 ^ 0x8, saddr 0x1e7aa8c0 and daddr
    // 0x17aa8c0, giving 522133332 and 522133333, and 261066666 for both with the shift. (0x8 is the raw
    // h_proto that kernels before the XDP rework XORed in; here it is only a seed.) 0x1e7aa8c0 is
    // 192.168.122.30 as flow_get_u32_src reads it.
    @Test func bondIPHashMatchesTheNumbersInTheKernelCommit() {
        #expect(TeamHash.addressWord(IPAddress(ipv4: 0xC0A8_7A1E)) == 0x1E7A_A8C0)
        func ipHash(_ destinationMACByte: UInt32, _ policy: BondHashPolicy) -> UInt32 {
            TeamHash.ipHash(
                destinationMACByte ^ 0xE3 ^ 0x8, source: 0x1E7A_A8C0, destination: 0x017A_A8C0, policy: policy)
        }
        #expect(ipHash(0xA0, .layer23) == 522_133_332)
        #expect(ipHash(0xA1, .layer23) == 522_133_333)
        #expect(ipHash(0xA0, .layer34) == 261_066_666)
        #expect(ipHash(0xA1, .layer34) == 261_066_666)
    }

    @Test func indexIsHashModuloUsableUplinks() {
        // The script's %2 and %3 columns.
        #expect(TeamHash.index(of: 0x4BCB_4B2B, among: 2) == 1)  // ipv4 tcp layer3+4
        #expect(TeamHash.index(of: 0x4BCB_4B2B, among: 3) == 0)
        #expect(TeamHash.index(of: 0x4DC4_E4AA, among: 2) == 0)  // ipv4 udp layer3+4
        #expect(TeamHash.index(of: 0x4DC4_E4AA, among: 3) == 2)
        #expect(TeamHash.index(of: 0x1393_BBDA, among: 2) == 0)  // ipv6 tcp layer3+4
        #expect(TeamHash.index(of: 0x1393_BBDA, among: 3) == 1)
        #expect(TeamHash.index(of: 0x2C2C_249D, among: 3) == 2)  // ipv4 tcp layer2+3
        #expect(TeamHash.index(of: UInt32.max, among: 3) == 0)
        #expect(TeamHash.index(of: 7, among: 1) == 0)
    }

    static func pair(_ source: String, _ destination: String) -> TeamHashInput {
        flow(source, 0, destination, 0, protocol: 17, sourceMAC: nil, destinationMAC: nil)
    }

    @Test func vmwareIPHashIsLastOctetXOR() {
        // The script's VMware section.
        #expect(TeamHash.vmwareIP(Self.pair("10.0.0.1", "10.0.0.2")) == 3)
        #expect(TeamHash.vmwareIP(Self.pair("10.0.0.5", "10.0.0.6")) == 3)
        #expect(TeamHash.vmwareIP(Self.pair("10.0.0.1", "10.0.0.4")) == 5)
        #expect(TeamHash.vmwareIP(Self.pair("192.168.10.21", "192.168.10.57")) == 0x2C)
        #expect(TeamHash.vmwareIP(Self.pair("2001:db8::10", "2001:db8:0:1::20")) == 0x30)
        // Symmetric, and blind to everything but the last octets.
        #expect(TeamHash.vmwareIP(Self.pair("10.0.0.2", "10.0.0.1")) == 3)
        #expect(TeamHash.vmwareIP(Self.pair("172.16.9.1", "10.200.0.2")) == 3)
    }

    @Test func vmwareIPHashPutsTwoPairsOnOneUplink() {
        // 10.0.0.1 <-> 10.0.0.2 and 10.0.0.5 <-> 10.0.0.6 both hash to 3, so they share an uplink
        // whatever the uplink count is. 10.0.0.1 <-> 10.0.0.4 (5) joins them on uplink 1 of two (both
        // odd) but not of three (3 % 3 = 0, 5 % 3 = 2). 192.168.10.21 <-> 192.168.10.57 (44) is on
        // uplink 0 of two.
        let first = TeamHash.vmwareIP(Self.pair("10.0.0.1", "10.0.0.2"))
        let second = TeamHash.vmwareIP(Self.pair("10.0.0.5", "10.0.0.6"))
        let third = TeamHash.vmwareIP(Self.pair("10.0.0.1", "10.0.0.4"))
        let fourth = TeamHash.vmwareIP(Self.pair("192.168.10.21", "192.168.10.57"))
        for count in 1...4 {
            #expect(TeamHash.index(of: first, among: count) == TeamHash.index(of: second, among: count))
        }
        #expect(TeamHash.index(of: first, among: 2) == 1)
        #expect(TeamHash.index(of: third, among: 2) == 1)
        #expect(TeamHash.index(of: fourth, among: 2) == 0)
        #expect(TeamHash.index(of: first, among: 3) == 0)
        #expect(TeamHash.index(of: third, among: 3) == 2)
        #expect(TeamHash.index(of: fourth, among: 3) == 2)
    }

    @Test func ipv6AddressWordIsTheFoldOfItsWords() {
        // ipv6_addr_hash(2001:db8::10): words 20 01 0d b8 | 00.. | 00.. | 00 00 00 10, read little-endian:
        // 0xB80D0120 ^ 0 ^ 0 ^ 0x10000000 = 0xA80D0120.
        #expect(TeamHash.addressWord(Self.address("2001:db8::10")) == 0xA80D_0120)
    }
}
