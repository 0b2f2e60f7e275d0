// Builds frames byte by byte for tests, field by field as the RFCs lay them out. Checksums are
// left zero: the decoder never reads them.

public enum Frame {
    public static func mac(_ text: String) -> [UInt8] {
        text.split(separator: ":").map { UInt8($0, radix: 16)! }
    }

    public static func ipv4(_ text: String) -> [UInt8] {
        text.split(separator: ".").map { UInt8($0)! }
    }

    public static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    public static func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }

    public static func ethernet(destination: String, source: String, etherType: UInt16, vlans: [UInt16] = []) -> [UInt8] {
        var bytes = mac(destination) + mac(source)
        for (index, vlan) in vlans.enumerated() {
            bytes += be16(index == 0 && vlans.count > 1 ? 0x88A8 : 0x8100) + be16(vlan)
        }
        return bytes + be16(etherType)
    }

    /// An IPv4 header (RFC 791) with `options` (a multiple of 4 bytes).
    public static func ipv4Header(
        source: String, destination: String, proto: UInt8, payloadLength: Int, options: [UInt8] = [],
        flagsAndOffset: UInt16 = 0x4000
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        return [UInt8(0x40 | headerLength / 4), 0] + be16(UInt16(headerLength + payloadLength)) + [0x12, 0x34]
            + be16(flagsAndOffset) + [64, proto, 0, 0] + ipv4(source) + ipv4(destination) + options
    }

    public static func udp(sourcePort: UInt16, destinationPort: UInt16, payloadLength: Int = 0) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payloadLength)) + [0, 0]
    }

    /// A 20-byte TCP header (RFC 9293) with `options` (a multiple of 4 bytes) and the given flags.
    public static func tcp(sourcePort: UInt16, destinationPort: UInt16, flags: UInt8 = 0x02, options: [UInt8] = []) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be32(1000) + be32(0) + [UInt8((20 + options.count) / 4) << 4, flags]
            + be16(65535) + [0, 0, 0, 0] + options
    }

    /// Ethernet + IPv4 + UDP with no payload bytes captured (as a header-only snapshot).
    public static func udpFrame(
        sourceMAC: String, destinationMAC: String, source: String, destination: String, sourcePort: UInt16,
        destinationPort: UInt16, payloadLength: Int = 0
    ) -> [UInt8] {
        ethernet(destination: destinationMAC, source: sourceMAC, etherType: 0x0800)
            + ipv4Header(source: source, destination: destination, proto: 17, payloadLength: 8 + payloadLength)
            + udp(sourcePort: sourcePort, destinationPort: destinationPort, payloadLength: payloadLength)
    }

    /// Ethernet + ARP (RFC 826) for Ethernet/IPv4; operation 1 request, 2 reply.
    public static func arpFrame(
        operation: UInt16, senderMAC: String, senderIP: String, targetMAC: String, targetIP: String,
        destinationMAC: String
    ) -> [UInt8] {
        ethernet(destination: destinationMAC, source: senderMAC, etherType: 0x0806) + be16(1) + be16(0x0800) + [6, 4]
            + be16(operation) + mac(senderMAC) + ipv4(senderIP) + mac(targetMAC) + ipv4(targetIP)
    }
}
