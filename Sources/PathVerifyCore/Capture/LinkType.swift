/// A capture's link-layer header type: the LINKTYPE_ value of the file header or pcapng IDB.
///
/// See https://www.tcpdump.org/linktypes.html. Only the types the decoder understands are named;
/// any other value is kept and reported as unsupported, never guessed at.
public struct LinkType: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    /// DLT_RAW as OpenBSD numbers it (12) and as LINKTYPE_RAW (101): a bare IPv4 or IPv6 packet.
    public static let rawOpenBSD = LinkType(rawValue: 12)
    /// DLT_RAW as some BSDs number it (14).
    public static let rawBSD = LinkType(rawValue: 14)
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: like `null`, but the family is in network byte order.
    public static let loop = LinkType(rawValue: 108)
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// Whether the decoder understands frames of this type.
    public var isSupported: Bool {
        switch self {
        case .null, .ethernet, .rawOpenBSD, .rawBSD, .raw, .loop, .linuxSLL, .ipv4, .ipv6, .linuxSLL2: true
        default: false
        }
    }

    public var name: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "ETHERNET"
        case .rawOpenBSD, .rawBSD, .raw: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .linuxSLL2: "LINUX_SLL2"
        default: "LINKTYPE_\(rawValue)"
        }
    }

    public var description: String { "\(rawValue) (\(name))" }

    public static func < (lhs: LinkType, rhs: LinkType) -> Bool { lhs.rawValue < rhs.rawValue }
}
