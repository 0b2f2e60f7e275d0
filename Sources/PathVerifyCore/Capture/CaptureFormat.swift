/// The container format of a capture file, as its first bytes announce it.
///
/// Classic pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.html and draft-ietf-opsawg-pcap §4.
/// pcapng: draft-ietf-opsawg-pcapng §4.1 (Section Header Block).
public enum CaptureFormat: Hashable, Sendable, CustomStringConvertible {
    /// Classic pcap, magic 0xa1b2c3d4 (microsecond timestamps) or 0xa1b23c4d (nanosecond timestamps).
    case pcap(byteOrder: ByteOrder, nanosecond: Bool)
    /// Alexey Kuznetzov's modified pcap, magic 0xa1b2cd34: 24-byte record headers that add the ifindex,
    /// protocol and packet type.
    case pcapModified(byteOrder: ByteOrder)
    /// pcapng; each section has its own byte order.
    case pcapng

    public var description: String {
        switch self {
        case .pcap(let byteOrder, let nanosecond):
            "pcap (\(byteOrder == .big ? "big" : "little")-endian, \(nanosecond ? "nanosecond" : "microsecond"))"
        case .pcapModified(let byteOrder):
            "modified pcap (Kuznetzov, \(byteOrder == .big ? "big" : "little")-endian)"
        case .pcapng:
            "pcapng"
        }
    }
}
