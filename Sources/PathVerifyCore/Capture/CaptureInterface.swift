/// One capture interface: the classic pcap file header, or one pcapng Interface Description Block.
///
/// draft-ietf-opsawg-pcapng §4.2 (Interface Description Block); for classic pcap the single interface comes from
/// the file header (https://www.tcpdump.org/manpages/pcap-savefile.5.html).
public struct CaptureInterface: Hashable, Sendable {
    /// The interface's number in the file: IDBs counted from 0 across all sections, so that the first IDB of the
    /// second section gets the next number after the last IDB of the first. Always 0 for classic pcap.
    public var index: Int
    /// The pcapng section (0-based) the interface belongs to; 0 for classic pcap.
    public var section: Int
    public var linkType: LinkType
    /// The link-type field as stored: for classic pcap the whole 32-bit field, including the FCS-length bits
    /// (bits 28-31) and the F bit (26); for pcapng the 16-bit LinkType.
    public var rawLinkType: UInt32
    /// The snapshot length in bytes; 0 means no limit (pcapng).
    public var snapLength: Int
    /// `if_name` (option 2).
    public var name: String?
    /// `if_description` (option 3).
    public var interfaceDescription: String?
    /// `if_MACaddr` (option 6).
    public var macAddress: MACAddress?
    /// `if_tsresol` (option 9); microseconds when absent. Classic pcap: microseconds or nanoseconds by magic.
    public var timestampResolution: CaptureTimestampResolution
    /// `if_tsoffset` (option 14): seconds added to every timestamp of this interface.
    public var timestampOffset: Int64

    public init(
        index: Int, section: Int = 0, linkType: LinkType, rawLinkType: UInt32, snapLength: Int, name: String? = nil,
        interfaceDescription: String? = nil, macAddress: MACAddress? = nil,
        timestampResolution: CaptureTimestampResolution = .microseconds, timestampOffset: Int64 = 0
    ) {
        self.index = index
        self.section = section
        self.linkType = linkType
        self.rawLinkType = rawLinkType
        self.snapLength = snapLength
        self.name = name
        self.interfaceDescription = interfaceDescription
        self.macAddress = macAddress
        self.timestampResolution = timestampResolution
        self.timestampOffset = timestampOffset
    }
}
