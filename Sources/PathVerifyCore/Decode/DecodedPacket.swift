/// What the decoder found in one packet's headers. A plain value: decoding allocates nothing.
public struct DecodedPacket: Sendable {
    public enum Network: UInt8, Sendable {
        /// Nothing past the link layer was decoded (unsupported link type, truncated link header).
        case none
        case ipv4
        case ipv6
        case arp
        /// A link-layer payload that is not IP or ARP (LLDP, LLC, ...): counted, not decoded.
        case other
    }

    public var sourceMAC: MACAddress?
    /// Absent in Linux cooked captures, which record only the frame's source address.
    public var destinationMAC: MACAddress?
    /// The kernel's packet type from a Linux cooked header (0 host ... 4 outgoing).
    public var linuxPacketType: UInt8?
    /// The interface index from a Linux cooked v2 header, in the capturing host's namespace.
    public var linuxIfindex: UInt32?
    /// The outermost and the innermost 802.1Q/802.1ad VLAN IDs; 0 when untagged.
    public var outerVLAN: UInt16 = 0
    public var innerVLAN: UInt16 = 0
    public var vlanTags: UInt8 = 0
    /// The EtherType of the network layer (after VLAN tags), or 0 when there is none.
    public var etherType: UInt16 = 0

    public var network: Network = .none
    public var source = IPAddress(ipv4: 0)
    public var destination = IPAddress(ipv4: 0)
    /// The transport protocol number after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6).
    public var ipProtocol: UInt8 = 0
    /// Set for every fragment of a fragmented datagram, the first included.
    public var isFragment = false
    /// Set for fragments after the first, which carry no transport header.
    public var isLaterFragment = false
    public var ipv4HasOptions = false
    public var ipv6ExtensionHeaders: UInt8 = 0

    /// Whether ports (or an ICMP type and code) were decoded.
    public var hasTransport = false
    public var sourcePort: UInt16 = 0
    /// For ICMP and ICMPv6, `type << 8 | code`, as flow tools key them.
    public var destinationPort: UInt16 = 0
    public var tcpFlags: UInt8 = 0

    /// An ARP or NDP message that tells which hardware address owns an IP address.
    public var resolution: AddressResolution?

    /// The first problem met; decoding stops at that layer.
    public var anomaly: DecodeAnomaly?

    public init() {}

    /// The direction a Linux cooked header records: outgoing (4) or any received kind.
    public var linuxDirection: Direction {
        guard let type = linuxPacketType else { return .unknown }
        switch type {
        case 4: return .outbound
        case 0, 1, 2, 3: return .inbound
        default: return .unknown
        }
    }
}

/// An ARP (RFC 826) or NDP (RFC 4861) message: who has an address, and who says it has it.
public struct AddressResolution: Sendable, Equatable {
    public enum Operation: UInt8, Sendable {
        case arpRequest
        case arpReply
        case neighborSolicitation
        case neighborAdvertisement
    }

    public var operation: Operation
    /// For a reply or advertisement: the hardware address that claims `senderAddress`
    /// (ARP sender hardware address; NDP target link-layer option, or the frame's source).
    public var senderMAC: MACAddress?
    /// For ARP: the sender protocol address; for an advertisement: the target address it claims.
    public var senderAddress: IPAddress
    /// The address asked about (ARP target protocol address; NDP target).
    public var targetAddress: IPAddress

    public init(operation: Operation, senderMAC: MACAddress?, senderAddress: IPAddress, targetAddress: IPAddress) {
        self.operation = operation
        self.senderMAC = senderMAC
        self.senderAddress = senderAddress
        self.targetAddress = targetAddress
    }

    /// Whether the message claims an address (a reply or an advertisement) rather than asks.
    public var isAnswer: Bool { operation == .arpReply || operation == .neighborAdvertisement }
}
