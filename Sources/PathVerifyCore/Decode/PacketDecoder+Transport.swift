extension PacketDecoder {
    enum IPProtocol {
        static let icmp: UInt8 = 1
        static let tcp: UInt8 = 6
        static let udp: UInt8 = 17
        static let icmpv6: UInt8 = 58
        static let sctp: UInt8 = 132
        static let udpLite: UInt8 = 136
        static let dccp: UInt8 = 33
    }

    @inline(__always)
    static func decodeTransport(_ proto: UInt8, _ reader: inout ByteReader, into packet: inout DecodedPacket) {
        switch proto {
        case IPProtocol.tcp: decodeTCP(&reader, into: &packet)
        case IPProtocol.udp, IPProtocol.udpLite: decodePorts(&reader, anomaly: .truncatedUDPHeader, into: &packet)
        case IPProtocol.sctp, IPProtocol.dccp: decodePorts(&reader, anomaly: nil, into: &packet)
        case IPProtocol.icmp: decodeICMP(&reader, anomaly: .truncatedICMPHeader, into: &packet)
        case IPProtocol.icmpv6: decodeICMPv6(&reader, into: &packet)
        default: break
        }
    }

    /// TCP (RFC 9293 §3.1): ports, then the data offset and flags.
    @inline(__always)
    static func decodeTCP(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        guard reader.has(4) else {
            packet.anomaly = .truncatedTCPHeader
            return
        }
        packet.sourcePort = reader.uncheckedUInt16(at: 0)
        packet.destinationPort = reader.uncheckedUInt16(at: 2)
        packet.hasTransport = true
        guard reader.has(14) else {
            packet.anomaly = .truncatedTCPHeader
            return
        }
        let offsetByte = reader.uncheckedUInt8(at: 12)
        packet.tcpFlags = reader.uncheckedUInt8(at: 13)
        guard offsetByte >> 4 >= 5 else {
            packet.anomaly = .badTCPHeaderLength
            return
        }
        guard reader.skip(Int(offsetByte >> 4) * 4) else {
            packet.anomaly = .truncatedTCPHeader
            return
        }
    }

    /// UDP (RFC 768), UDP-Lite, and the port pair that SCTP and DCCP start with.
    @inline(__always)
    static func decodePorts(_ reader: inout ByteReader, anomaly: DecodeAnomaly?, into packet: inout DecodedPacket) {
        guard reader.has(4) else {
            packet.anomaly = anomaly
            return
        }
        packet.sourcePort = reader.uncheckedUInt16(at: 0)
        packet.destinationPort = reader.uncheckedUInt16(at: 2)
        packet.hasTransport = true
        if anomaly == .truncatedUDPHeader {
            guard reader.has(8) else {
                packet.anomaly = .truncatedUDPHeader
                return
            }
            reader.uncheckedSkip(8)
        } else {
            reader.uncheckedSkip(4)
        }
    }

    /// ICMP (RFC 792) and the fixed part of ICMPv6 (RFC 4443): type, code, checksum, 4 bytes.
    static func decodeICMP(_ reader: inout ByteReader, anomaly: DecodeAnomaly, into packet: inout DecodedPacket) {
        guard let type = reader.readUInt8(), let code = reader.readUInt8() else {
            packet.anomaly = anomaly
            return
        }
        packet.destinationPort = UInt16(type) << 8 | UInt16(code)
        packet.hasTransport = true
        guard reader.skip(6) else {
            packet.anomaly = anomaly
            return
        }
    }

    /// ICMPv6 with Neighbor Discovery (RFC 4861 §4.3, §4.4): a solicitation asks for a
    /// target; an advertisement claims it, with the target link-layer address option (type 2).
    static func decodeICMPv6(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        decodeICMP(&reader, anomaly: .truncatedICMPv6Header, into: &packet)
        guard packet.anomaly == nil else { return }
        let type = UInt8(packet.destinationPort >> 8)
        guard type == 135 || type == 136 else { return }
        guard let target = reader.readIPv6Address() else {
            packet.anomaly = .truncatedNDPMessage
            return
        }
        let advertisement = type == 136
        var linkLayerAddress: MACAddress?
        let wantedOption: UInt8 = advertisement ? 2 : 1
        while reader.remaining > 0 {
            guard let optionType = reader.readUInt8(), let optionLength = reader.readUInt8() else {
                packet.anomaly = .truncatedNDPMessage
                return
            }
            guard optionLength > 0 else {
                packet.anomaly = .badNDPOptionLength
                return
            }
            let start = reader.offset
            if optionType == wantedOption, optionLength == 1 {
                linkLayerAddress = reader.readMACAddress()
            }
            guard reader.skip(Int(optionLength) * 8 - 2 - (reader.offset - start)) else {
                packet.anomaly = .truncatedNDPMessage
                return
            }
        }
        if advertisement {
            packet.resolution = AddressResolution(
                operation: .neighborAdvertisement, senderMAC: linkLayerAddress ?? packet.sourceMAC,
                senderAddress: target, targetAddress: target)
        } else {
            packet.resolution = AddressResolution(
                operation: .neighborSolicitation, senderMAC: linkLayerAddress, senderAddress: packet.source,
                targetAddress: target)
        }
    }
}
