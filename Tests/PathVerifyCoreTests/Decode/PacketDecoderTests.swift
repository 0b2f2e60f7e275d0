import Testing

@testable import PathVerifyCore

@Suite struct PacketDecoderTests {
    // Ethernet + IPv4 + UDP 10.99.0.12:40000 > 10.99.0.22:9999 from a1 (02:00:00:00:0a:01) to
    // b2 (02:00:00:00:0b:02): the misrouted replication packet of the lab (§1.9, T1).
    static let udpFrame = Frame.udpFrame(
        sourceMAC: "02:00:00:00:0a:01", destinationMAC: "02:00:00:00:0b:02", source: "10.99.0.12",
        destination: "10.99.0.22", sourcePort: 40000, destinationPort: 9999)

    @Test func ethernetIPv4UDP() throws {
        let packet = decode(Self.udpFrame)
        #expect(packet.anomaly == nil)
        #expect(packet.network == .ipv4)
        #expect(packet.sourceMAC == MACAddress("02:00:00:00:0a:01"))
        #expect(packet.destinationMAC == MACAddress("02:00:00:00:0b:02"))
        #expect(packet.source == IPAddress("10.99.0.12"))
        #expect(packet.destination == IPAddress("10.99.0.22"))
        #expect(packet.ipProtocol == 17)
        #expect(packet.hasTransport)
        #expect(packet.sourcePort == 40000)
        #expect(packet.destinationPort == 9999)
        #expect(!packet.isFragment)
    }

    // QinQ: 802.1ad S-tag 100 then 802.1Q C-tag 200, then IPv4 + TCP SYN 10.0.0.1:1234 > 10.0.0.2:80.
    @Test func qinqTagsAreFollowed() {
        let frame = Frame.ethernet(
            destination: "02:00:00:00:00:02", source: "02:00:00:00:00:01", etherType: 0x0800, vlans: [100, 200])
            + Frame.ipv4Header(source: "10.0.0.1", destination: "10.0.0.2", proto: 6, payloadLength: 20)
            + Frame.tcp(sourcePort: 1234, destinationPort: 80)
        let packet = decode(frame)
        #expect(packet.anomaly == nil)
        #expect(packet.vlanTags == 2)
        #expect(packet.outerVLAN == 100)
        #expect(packet.innerVLAN == 200)
        #expect(packet.sourcePort == 1234 && packet.destinationPort == 80)
        #expect(packet.tcpFlags == 0x02)
    }

    // IPv4 with 8 bytes of options (record route, padded), then TCP with a 12-byte option block.
    @Test func ipv4OptionsAndTCPOptions() {
        let frame = Frame.ethernet(destination: "02:00:00:00:00:02", source: "02:00:00:00:00:01", etherType: 0x0800)
            + Frame.ipv4Header(
                source: "192.0.2.1", destination: "192.0.2.2", proto: 6, payloadLength: 32,
                options: [7, 7, 4, 0, 0, 0, 0, 0])
            + Frame.tcp(sourcePort: 5000, destinationPort: 443, flags: 0x18, options: [1, 1, 8, 10] + [UInt8](repeating: 0, count: 8))
        let packet = decode(frame)
        #expect(packet.anomaly == nil)
        #expect(packet.ipv4HasOptions)
        #expect(packet.sourcePort == 5000 && packet.destinationPort == 443)
    }

    // A later IPv4 fragment (offset 185 × 8 bytes) has no transport header: no ports.
    @Test func laterIPv4FragmentHasNoPorts() {
        let frame = Frame.ethernet(destination: "02:00:00:00:00:02", source: "02:00:00:00:00:01", etherType: 0x0800)
            + Frame.ipv4Header(source: "192.0.2.1", destination: "192.0.2.2", proto: 17, payloadLength: 8, flagsAndOffset: 185)
            + [0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]
        let packet = decode(frame)
        #expect(packet.anomaly == nil)
        #expect(packet.isFragment && packet.isLaterFragment)
        #expect(!packet.hasTransport && packet.sourcePort == 0)
        let first = decode(
            Frame.ethernet(destination: "02:00:00:00:00:02", source: "02:00:00:00:00:01", etherType: 0x0800)
                + Frame.ipv4Header(source: "192.0.2.1", destination: "192.0.2.2", proto: 17, payloadLength: 8, flagsAndOffset: 0x2000)
                + Frame.udp(sourcePort: 2049, destinationPort: 1023))
        #expect(first.isFragment && !first.isLaterFragment && first.sourcePort == 2049)
    }

    // IPv6 2001:db8::12 > 2001:db8::22, hop-by-hop (8 bytes, PadN), fragment header (first
    // fragment, M set), UDP 40000 > 9999. Written out as tcpdump -xx would show it.
    static let ipv6Frame = hex(
        """
        0200 0000 0b02 0200 0000 0a01 86dd
        6000 0000 0018 0040 2001 0db8 0000 0000 0000 0000 0000 0012
        2001 0db8 0000 0000 0000 0000 0000 0022
        2c00 0104 0000 0000
        1100 0001 0000 abcd
        9c40 270f 0010 0000
        """)

    @Test func ipv6ExtensionHeadersAndFragment() {
        let packet = decode(Self.ipv6Frame)
        #expect(packet.anomaly == nil)
        #expect(packet.network == .ipv6)
        #expect(packet.source == IPAddress("2001:db8::12"))
        #expect(packet.destination == IPAddress("2001:db8::22"))
        #expect(packet.ipv6ExtensionHeaders == 2)
        #expect(packet.isFragment && !packet.isLaterFragment)
        #expect(packet.ipProtocol == 17 && packet.sourcePort == 40000 && packet.destinationPort == 9999)
    }

    // ARP reply: 10.99.0.21 is-at 02:00:00:00:0b:02 (b2 answering for b1's address: ARP flux).
    static let arpReply = Frame.arpFrame(
        operation: 2, senderMAC: "02:00:00:00:0b:02", senderIP: "10.99.0.21", targetMAC: "02:00:00:00:0a:01",
        targetIP: "10.99.0.11", destinationMAC: "02:00:00:00:0a:01")

    @Test func arpReply() throws {
        let packet = decode(Self.arpReply)
        #expect(packet.anomaly == nil)
        #expect(packet.network == .arp)
        let resolution = try #require(packet.resolution)
        #expect(resolution.operation == .arpReply && resolution.isAnswer)
        #expect(resolution.senderAddress == IPAddress("10.99.0.21"))
        #expect(resolution.senderMAC == MACAddress("02:00:00:00:0b:02"))
        #expect(resolution.targetAddress == IPAddress("10.99.0.11"))
    }

    // Neighbor advertisement (ICMPv6 type 136) for 2001:db8::22 with the target link-layer
    // address option (type 2, length 1) 02:00:00:00:0b:02.
    static let neighborAdvertisement = hex(
        """
        0200 0000 0a01 0200 0000 0b02 86dd
        6000 0000 0020 3aff 2001 0db8 0000 0000 0000 0000 0000 0022
        2001 0db8 0000 0000 0000 0000 0000 0012
        8800 0000 6000 0000 2001 0db8 0000 0000 0000 0000 0000 0022
        0201 0200 0000 0b02
        """)

    @Test func neighborAdvertisement() throws {
        let packet = decode(Self.neighborAdvertisement)
        #expect(packet.anomaly == nil)
        #expect(packet.ipProtocol == 58 && packet.destinationPort == 136 << 8)
        let resolution = try #require(packet.resolution)
        #expect(resolution.operation == .neighborAdvertisement)
        #expect(resolution.senderAddress == IPAddress("2001:db8::22"))
        #expect(resolution.senderMAC == MACAddress("02:00:00:00:0b:02"))
    }

    // Linux cooked v1: packet type 4 (outgoing), ARPHRD_ETHER, 6-byte address, protocol IPv4.
    static let sllFrame = hex("0004 0001 0006 0200 0000 0a01 0000 0800") + Array(udpFrame[14...])
    // Linux cooked v2: protocol IPv4, ifindex 3, ARPHRD_ETHER, packet type 0 (host), address.
    static let sll2Frame = hex("0800 0000 0000 0003 0001 00 06 0200 0000 0b02 0000") + Array(udpFrame[14...])

    @Test func linuxCookedHeaders() {
        let v1 = decode(Self.sllFrame, as: .linuxSLL)
        #expect(v1.anomaly == nil)
        #expect(v1.linuxDirection == .outbound)
        #expect(v1.sourceMAC == MACAddress("02:00:00:00:0a:01") && v1.destinationMAC == nil)
        #expect(v1.sourcePort == 40000)
        let v2 = decode(Self.sll2Frame, as: .linuxSLL2)
        #expect(v2.anomaly == nil)
        #expect(v2.linuxIfindex == 3)
        #expect(v2.linuxDirection == .inbound)
        #expect(v2.destination == IPAddress("10.99.0.22"))
    }

    // BSD loopback with AF_INET written little-endian (02 00 00 00), and raw IPv6.
    @Test func loopbackAndRawIP() {
        let null = decode([2, 0, 0, 0] + Array(Self.udpFrame[14...]), as: .null)
        #expect(null.anomaly == nil && null.network == .ipv4 && null.destinationPort == 9999)
        let loop = decode([0, 0, 0, 2] + Array(Self.udpFrame[14...]), as: .loop)
        #expect(loop.anomaly == nil && loop.network == .ipv4)
        let raw = decode(Array(Self.ipv6Frame[14...]), as: .raw)
        #expect(raw.anomaly == nil && raw.network == .ipv6 && raw.sourcePort == 40000)
        #expect(decode([0x50, 0, 0, 0], as: .raw).anomaly == .rawPacketNotIP)
        #expect(decode([0x99, 0, 0, 0], as: .null).anomaly == .unknownLoopbackFamily)
        #expect(decode([1, 2, 3], as: LinkType(rawValue: 105)).anomaly == .unsupportedLinkType)
    }

    @Test func malformedHeadersAreNamed() {
        var badVersion = Self.udpFrame
        badVersion[14] = 0x55
        #expect(decode(badVersion).anomaly == .badIPv4Version)
        var badLength = Self.udpFrame
        badLength[14] = 0x44
        #expect(decode(badLength).anomaly == .badIPv4HeaderLength)
        var badTCP = Frame.ethernet(destination: "02:00:00:00:00:02", source: "02:00:00:00:00:01", etherType: 0x0800)
            + Frame.ipv4Header(source: "10.0.0.1", destination: "10.0.0.2", proto: 6, payloadLength: 20)
            + Frame.tcp(sourcePort: 1, destinationPort: 2)
        badTCP[14 + 20 + 12] = 0x20
        #expect(decode(badTCP).anomaly == .badTCPHeaderLength)
        let nonIP = Frame.ethernet(destination: "01:80:c2:00:00:0e", source: "02:00:00:00:00:01", etherType: 0x88CC)
        #expect(decode(nonIP + [0, 0]).network == .other)
        #expect(decode(nonIP).anomaly == nil)
    }

    // Every prefix of every fixture decodes without a crash and reports a truncation.
    static let sweepFixtures: [(String, [UInt8], PathVerifyCore.LinkType)] = [
        ("udp", udpFrame, .ethernet), ("ipv6", ipv6Frame, .ethernet), ("arp", arpReply, .ethernet),
        ("sll", sllFrame, .linuxSLL), ("sll2", sll2Frame, .linuxSLL2),
        ("qinq-tcp",
            Frame.ethernet(destination: "02:00:00:00:00:02", source: "02:00:00:00:00:01", etherType: 0x0800, vlans: [100, 200])
                + Frame.ipv4Header(source: "10.0.0.1", destination: "10.0.0.2", proto: 6, payloadLength: 20, options: [1, 1, 1, 0])
                + Frame.tcp(sourcePort: 1234, destinationPort: 80), .ethernet),
        ("raw-ipv6", Array(ipv6Frame[14...]), .raw), ("null", [2, 0, 0, 0] + Array(udpFrame[14...]), .null),
    ]

    @Test(arguments: sweepFixtures.map(\.0))
    func truncationSweep(name: String) throws {
        let (_, bytes, linkType) = try #require(Self.sweepFixtures.first { $0.0 == name })
        #expect(decode(bytes, as: linkType).anomaly == nil)
        for length in 0..<bytes.count {
            let packet = decode(Array(bytes[..<length]), as: linkType)
            let anomaly = try #require(packet.anomaly, "prefix of \(length) bytes of \(name) decoded without an anomaly")
            #expect(anomaly.isTruncation, "prefix of \(length) bytes of \(name): \(anomaly)")
        }
    }

    // The neighbor advertisement is complete without its option, so its sweep stops at the target.
    @Test func neighborAdvertisementTruncation() {
        let bytes = Self.neighborAdvertisement
        for length in 0..<(14 + 40 + 24) {
            let anomaly = decode(Array(bytes[..<length])).anomaly
            #expect(anomaly?.isTruncation == true, "prefix of \(length) bytes: \(String(describing: anomaly))")
        }
        #expect(decode(Array(bytes[..<(bytes.count - 3)])).anomaly == .truncatedNDPMessage)
    }

    @Test func anomalyIdentifiersAreUnique() {
        #expect(Set(DecodeAnomaly.allCases.map(\.id)).count == DecodeAnomaly.allCases.count)
    }
}
