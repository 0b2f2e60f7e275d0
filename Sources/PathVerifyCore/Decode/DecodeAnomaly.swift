/// Why a packet could not be decoded to the end of its headers.
///
/// The raw values are stable identifiers that appear in reports and JSON: renaming one is a
/// breaking change. A packet with an anomaly is still counted, with what was decoded before it.
public enum DecodeAnomaly: UInt8, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    case unsupportedLinkType = 1
    case truncatedEthernet
    case truncatedVLANTag
    case tooManyVLANTags
    case truncatedLinuxSLL
    case truncatedLinuxSLL2
    case truncatedLoopback
    case unknownLoopbackFamily
    case rawPacketNotIP
    case truncatedIPv4Header
    case badIPv4Version
    case badIPv4HeaderLength
    case badIPv4TotalLength
    case truncatedIPv6Header
    case badIPv6Version
    case truncatedIPv6ExtensionHeader
    case tooManyIPv6ExtensionHeaders
    case truncatedARP
    case unsupportedARPFormat
    case truncatedTCPHeader
    case badTCPHeaderLength
    case truncatedUDPHeader
    case truncatedICMPHeader
    case truncatedICMPv6Header
    case truncatedNDPMessage
    case badNDPOptionLength

    /// The stable identifier, as reports and JSON print it.
    public var id: String {
        switch self {
        case .unsupportedLinkType: "unsupported_link_type"
        case .truncatedEthernet: "truncated_ethernet"
        case .truncatedVLANTag: "truncated_vlan_tag"
        case .tooManyVLANTags: "too_many_vlan_tags"
        case .truncatedLinuxSLL: "truncated_linux_sll"
        case .truncatedLinuxSLL2: "truncated_linux_sll2"
        case .truncatedLoopback: "truncated_loopback"
        case .unknownLoopbackFamily: "unknown_loopback_family"
        case .rawPacketNotIP: "raw_packet_not_ip"
        case .truncatedIPv4Header: "truncated_ipv4_header"
        case .badIPv4Version: "bad_ipv4_version"
        case .badIPv4HeaderLength: "bad_ipv4_header_length"
        case .badIPv4TotalLength: "bad_ipv4_total_length"
        case .truncatedIPv6Header: "truncated_ipv6_header"
        case .badIPv6Version: "bad_ipv6_version"
        case .truncatedIPv6ExtensionHeader: "truncated_ipv6_extension_header"
        case .tooManyIPv6ExtensionHeaders: "too_many_ipv6_extension_headers"
        case .truncatedARP: "truncated_arp"
        case .unsupportedARPFormat: "unsupported_arp_format"
        case .truncatedTCPHeader: "truncated_tcp_header"
        case .badTCPHeaderLength: "bad_tcp_header_length"
        case .truncatedUDPHeader: "truncated_udp_header"
        case .truncatedICMPHeader: "truncated_icmp_header"
        case .truncatedICMPv6Header: "truncated_icmpv6_header"
        case .truncatedNDPMessage: "truncated_ndp_message"
        case .badNDPOptionLength: "bad_ndp_option_length"
        }
    }

    /// Whether the anomaly means the captured bytes ended inside a header.
    public var isTruncation: Bool { id.hasPrefix("truncated_") }

    public var description: String { id }

    public static func < (lhs: DecodeAnomaly, rhs: DecodeAnomaly) -> Bool { lhs.rawValue < rhs.rawValue }
}
