extension PacketDecoder {
    /// IPv4 (RFC 791 §3.1): options are skipped by the header length; fragments (flags and
    /// offset) are marked, and only the first fragment's transport header is read.
    @inline(__always)
    static func decodeIPv4(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        guard reader.has(20) else {
            packet.anomaly = .truncatedIPv4Header
            return
        }
        let versionAndLength = reader.uncheckedUInt8(at: 0)
        let totalLength = reader.uncheckedUInt16(at: 2)
        let flagsAndOffset = reader.uncheckedUInt16(at: 6)
        let proto = reader.uncheckedUInt8(at: 9)
        guard versionAndLength >> 4 == 4 else {
            packet.anomaly = .badIPv4Version
            return
        }
        packet.network = .ipv4
        packet.source = IPAddress(ipv4: reader.uncheckedUInt32(at: 12))
        packet.destination = IPAddress(ipv4: reader.uncheckedUInt32(at: 16))
        packet.ipProtocol = proto
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard headerLength >= 20 else {
            packet.anomaly = .badIPv4HeaderLength
            return
        }
        // A total length of 0 is what segmentation offload (and BIG TCP) leaves in captures of
        // outgoing super-packets: the length is unknown, not wrong.
        guard totalLength == 0 || Int(totalLength) >= headerLength else {
            packet.anomaly = .badIPv4TotalLength
            return
        }
        packet.ipv4HasOptions = headerLength > 20
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let fragmentOffset = flagsAndOffset & 0x1FFF
        packet.isFragment = moreFragments || fragmentOffset != 0
        packet.isLaterFragment = fragmentOffset != 0
        guard reader.has(headerLength) else {
            packet.anomaly = .truncatedIPv4Header
            return
        }
        reader.uncheckedSkip(headerLength)
        guard !packet.isLaterFragment else { return }
        decodeTransport(proto, &reader, into: &packet)
    }

    /// IPv6 (RFC 8200 §3, §4): extension headers are followed to the transport header. AH
    /// (RFC 4302) counts its length in 4-byte units; the others in 8-byte units after the first 8.
    @inline(__always)
    static func decodeIPv6(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        guard reader.has(40) else {
            packet.anomaly = .truncatedIPv6Header
            return
        }
        guard reader.uncheckedUInt8(at: 0) >> 4 == 6 else {
            packet.anomaly = .badIPv6Version
            return
        }
        let payloadLength = reader.uncheckedUInt16(at: 4)
        let nextHeader = reader.uncheckedUInt8(at: 6)
        packet.network = .ipv6
        packet.source = IPAddress(ipv6High: reader.uncheckedUInt64(at: 8), low: reader.uncheckedUInt64(at: 16))
        packet.destination = IPAddress(ipv6High: reader.uncheckedUInt64(at: 24), low: reader.uncheckedUInt64(at: 32))
        reader.uncheckedSkip(40)
        // Ethernet pads short frames: stop at the payload length so padding is never read as
        // options. A payload length of 0 (jumbogram, RFC 2675) leaves the captured bytes as they are.
        if payloadLength > 0, Int(payloadLength) < reader.remaining, let payload = reader.readBytes(Int(payloadLength)) {
            reader = ByteReader(payload)
        }
        var next = nextHeader
        while true {
            packet.ipProtocol = next
            switch next {
            case 0, 43, 60, 135, 139, 140:  // hop-by-hop, routing, destination options, mobility, HIP, shim6
                guard let following = reader.readUInt8(), let length = reader.readUInt8(),
                    reader.skip(6 + Int(length) * 8)
                else {
                    packet.anomaly = .truncatedIPv6ExtensionHeader
                    return
                }
                next = following
            case 44:  // fragment: next header, reserved, offset and flags, identification
                guard let following = reader.readUInt8(), reader.skip(1), let offsetAndFlags = reader.readUInt16(),
                    reader.skip(4)
                else {
                    packet.anomaly = .truncatedIPv6ExtensionHeader
                    return
                }
                packet.isFragment = true
                packet.isLaterFragment = offsetAndFlags >> 3 != 0
                next = following
            case 51:  // authentication header
                guard let following = reader.readUInt8(), let length = reader.readUInt8(),
                    reader.skip(Int(length) * 4 + 6)
                else {
                    packet.anomaly = .truncatedIPv6ExtensionHeader
                    return
                }
                next = following
            default:
                packet.ipProtocol = next
                guard !packet.isLaterFragment else { return }
                decodeTransport(next, &reader, into: &packet)
                return
            }
            packet.ipv6ExtensionHeaders += 1
            // RFC 8200 allows each header once (destination options twice); a long chain is hostile.
            guard packet.ipv6ExtensionHeaders <= 16 else {
                packet.anomaly = .tooManyIPv6ExtensionHeaders
                return
            }
        }
    }

    /// ARP (RFC 826) for Ethernet and IPv4; other hardware or protocol types are counted as
    /// ARP with an `unsupported_arp_format` anomaly.
    static func decodeARP(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        packet.network = .arp
        guard let hardwareType = reader.readUInt16(), let protocolType = reader.readUInt16(),
            let hardwareLength = reader.readUInt8(), let protocolLength = reader.readUInt8(),
            let operation = reader.readUInt16()
        else {
            packet.anomaly = .truncatedARP
            return
        }
        guard hardwareType == 1, protocolType == EtherType.ipv4, hardwareLength == 6, protocolLength == 4 else {
            packet.anomaly = .unsupportedARPFormat
            return
        }
        guard let senderMAC = reader.readMACAddress(), let senderAddress = reader.readIPv4Address(),
            reader.skip(6), let targetAddress = reader.readIPv4Address()
        else {
            packet.anomaly = .truncatedARP
            return
        }
        packet.source = senderAddress
        packet.destination = targetAddress
        let kind: AddressResolution.Operation
        switch operation {
        case 1: kind = .arpRequest
        case 2: kind = .arpReply
        default:
            packet.anomaly = .unsupportedARPFormat
            return
        }
        packet.resolution = AddressResolution(
            operation: kind, senderMAC: senderMAC, senderAddress: senderAddress, targetAddress: targetAddress)
    }
}
