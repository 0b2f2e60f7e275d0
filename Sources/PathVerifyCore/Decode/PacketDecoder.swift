/// Decodes the headers of one captured packet, from the link layer to the transport ports.
///
/// Every field comes out of a `ByteReader`; a short or odd packet stops decoding at that layer
/// with a `DecodeAnomaly`, keeping what was decoded before it. Nothing is allocated. The
/// common path (Ethernet, IPv4/IPv6, TCP/UDP) is forced inline into `decode`: calls between
/// the layers cost more than the layers themselves (measured on the offline benchmark).
public enum PacketDecoder {
    /// EtherTypes the decoder follows.
    enum EtherType {
        static let ipv4: UInt16 = 0x0800
        static let arp: UInt16 = 0x0806
        static let vlan: UInt16 = 0x8100
        static let ipv6: UInt16 = 0x86DD
        static let serviceVLAN: UInt16 = 0x88A8
        /// Pre-standard QinQ outer tag, still sent by some switches.
        static let legacyQinQ: UInt16 = 0x9100
    }

    /// At most this many stacked VLAN tags are followed; more is treated as hostile input.
    static let maximumVLANTags = 8

    public static func decode(_ data: UnsafeRawBufferPointer, linkType: LinkType) -> DecodedPacket {
        var packet = DecodedPacket()
        decode(data, linkType: linkType, into: &packet)
        return packet
    }

    /// Decodes into `packet`, which must be fresh (`DecodedPacket()`): the per-packet path
    /// reuses one value instead of copying a new one out of every call.
    @inline(__always)
    public static func decode(_ data: UnsafeRawBufferPointer, linkType: LinkType, into packet: inout DecodedPacket) {
        var reader = ByteReader(data)
        switch linkType {
        case .ethernet:
            decodeEthernet(&reader, into: &packet)
        case .linuxSLL:
            decodeLinuxSLL(&reader, into: &packet)
        case .linuxSLL2:
            decodeLinuxSLL2(&reader, into: &packet)
        case .raw, .rawOpenBSD, .rawBSD:
            decodeRawIP(&reader, into: &packet)
        case .ipv4:
            packet.etherType = EtherType.ipv4
            decodeIPv4(&reader, into: &packet)
        case .ipv6:
            packet.etherType = EtherType.ipv6
            decodeIPv6(&reader, into: &packet)
        case .null, .loop:
            decodeLoopback(&reader, networkOrder: linkType == .loop, into: &packet)
        default:
            packet.anomaly = .unsupportedLinkType
        }
    }

    /// IEEE 802.3 / Ethernet II: destination, source, then an EtherType or an 802.3 length.
    @inline(__always)
    static func decodeEthernet(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        guard reader.has(14) else {
            packet.anomaly = .truncatedEthernet
            return
        }
        packet.destinationMAC = reader.uncheckedMACAddress(at: 0)
        packet.sourceMAC = reader.uncheckedMACAddress(at: 6)
        let typeOrLength = reader.uncheckedUInt16(at: 12)
        reader.uncheckedSkip(14)
        decodeEtherType(typeOrLength, &reader, into: &packet)
    }

    /// Follows VLAN tags and an 802.2 SNAP header to the network layer.
    @inline(__always)
    static func decodeEtherType(_ first: UInt16, _ reader: inout ByteReader, into packet: inout DecodedPacket) {
        var etherType = first
        while etherType == EtherType.vlan || etherType == EtherType.serviceVLAN || etherType == EtherType.legacyQinQ {
            guard Int(packet.vlanTags) < maximumVLANTags else {
                packet.anomaly = .tooManyVLANTags
                return
            }
            guard reader.has(4) else {
                packet.anomaly = .truncatedVLANTag
                return
            }
            let vlanID = reader.uncheckedUInt16(at: 0) & 0x0FFF
            let next = reader.uncheckedUInt16(at: 2)
            reader.uncheckedSkip(4)
            if packet.vlanTags == 0 { packet.outerVLAN = vlanID }
            packet.innerVLAN = vlanID
            packet.vlanTags += 1
            etherType = next
        }
        // Values up to 1500 are an 802.3 length: an LLC header follows. Only SNAP with a zero
        // OUI carries an EtherType (RFC 1042); other LLC payloads are counted as non-IP.
        if etherType <= 1500 {
            guard reader.peekUInt8() == 0xAA, reader.peekUInt8(at: 1) == 0xAA, reader.peekUInt8(at: 2) == 0x03,
                reader.peekUInt8(at: 3) == 0, reader.peekUInt8(at: 4) == 0, reader.peekUInt8(at: 5) == 0
            else {
                packet.network = .other
                return
            }
            _ = reader.skip(6)
            guard let snapType = reader.readUInt16() else {
                packet.network = .other
                return
            }
            etherType = snapType
        }
        packet.etherType = etherType
        decodeNetwork(etherType, &reader, into: &packet)
    }

    @inline(__always)
    static func decodeNetwork(_ etherType: UInt16, _ reader: inout ByteReader, into packet: inout DecodedPacket) {
        switch etherType {
        case EtherType.ipv4: decodeIPv4(&reader, into: &packet)
        case EtherType.ipv6: decodeIPv6(&reader, into: &packet)
        case EtherType.arp: decodeARP(&reader, into: &packet)
        default: packet.network = .other
        }
    }

    /// Linux cooked v1 (LINKTYPE_LINUX_SLL): packet type, ARPHRD type, address length,
    /// 8 address bytes (the frame's source), protocol. See tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html.
    static func decodeLinuxSLL(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        guard let packetType = reader.readUInt16(), let hardwareType = reader.readUInt16(),
            let addressLength = reader.readUInt16(), let address = reader.readBytes(8), let proto = reader.readUInt16()
        else {
            packet.anomaly = .truncatedLinuxSLL
            return
        }
        packet.linuxPacketType = UInt8(truncatingIfNeeded: packetType)
        decodeCooked(
            proto: proto, hardwareType: hardwareType, addressLength: Int(addressLength), address: address, &reader,
            into: &packet)
    }

    /// Linux cooked v2 (LINKTYPE_LINUX_SLL2): protocol, reserved, ifindex, ARPHRD type, packet
    /// type, address length, 8 address bytes. See tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html.
    static func decodeLinuxSLL2(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        guard let proto = reader.readUInt16(), reader.skip(2), let ifindex = reader.readUInt32(),
            let hardwareType = reader.readUInt16(), let packetType = reader.readUInt8(),
            let addressLength = reader.readUInt8(), let address = reader.readBytes(8)
        else {
            packet.anomaly = .truncatedLinuxSLL2
            return
        }
        packet.linuxPacketType = packetType
        packet.linuxIfindex = ifindex
        decodeCooked(
            proto: proto, hardwareType: hardwareType, addressLength: Int(addressLength), address: address, &reader,
            into: &packet)
    }

    /// ARPHRD_ETHER and ARPHRD_LOOPBACK frames carry an EtherType in the protocol field;
    /// ARPHRD_NETLINK and the 802.2 pseudo-protocols do not.
    static func decodeCooked(
        proto: UInt16, hardwareType: UInt16, addressLength: Int, address: UnsafeRawBufferPointer,
        _ reader: inout ByteReader, into packet: inout DecodedPacket
    ) {
        if addressLength == 6 {
            var addressReader = ByteReader(address)
            packet.sourceMAC = addressReader.readMACAddress()
        }
        let netlink: UInt16 = 824
        guard hardwareType != netlink, proto > 1500 else {
            packet.network = .other
            return
        }
        decodeEtherType(proto, &reader, into: &packet)
    }

    /// LINKTYPE_RAW and friends: the packet starts with the IP header; its version nibble says which.
    static func decodeRawIP(_ reader: inout ByteReader, into packet: inout DecodedPacket) {
        switch reader.peekUInt8().map({ $0 >> 4 }) {
        case 4:
            packet.etherType = EtherType.ipv4
            decodeIPv4(&reader, into: &packet)
        case 6:
            packet.etherType = EtherType.ipv6
            decodeIPv6(&reader, into: &packet)
        case nil:
            packet.anomaly = .truncatedIPv4Header
        default:
            packet.anomaly = .rawPacketNotIP
        }
    }

    /// BSD loopback: a 4-byte address family, in the capturing host's byte order (NULL) or in
    /// network order (LOOP). AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs).
    static func decodeLoopback(_ reader: inout ByteReader, networkOrder: Bool, into packet: inout DecodedPacket) {
        guard var family = reader.readUInt32() else {
            packet.anomaly = .truncatedLoopback
            return
        }
        // The writer's byte order is unknown for NULL: a family fits in the low 16 bits.
        if !networkOrder, family > 0xFFFF { family = family.byteSwapped }
        switch family {
        case 2:
            packet.etherType = EtherType.ipv4
            decodeIPv4(&reader, into: &packet)
        case 10, 24, 28, 30:
            packet.etherType = EtherType.ipv6
            decodeIPv6(&reader, into: &packet)
        default:
            packet.anomaly = .unknownLoopbackFamily
        }
    }
}
