/// One packet record as a capture file or a live handle delivered it, before decoding.
///
/// `data` points into the reader's buffer and is valid only during the call that hands the
/// record over; nothing keeps it.
public struct CaptureRecord {
    public var timestamp: Timestamp
    public var linkType: LinkType
    /// The interface within its input: a pcapng Interface Description Block's index, counted
    /// across all sections of the file; 0 for classic pcap.
    public var interfaceID: Int
    /// The packet's length on the wire (may exceed `data.count` when the capture was snapped).
    public var originalLength: Int
    /// The direction the file itself records (pcapng `epb_flags`); `.unknown` when it records none.
    public var direction: Direction
    /// The captured bytes.
    public var data: UnsafeRawBufferPointer

    public init(
        timestamp: Timestamp, linkType: LinkType, interfaceID: Int, originalLength: Int, direction: Direction,
        data: UnsafeRawBufferPointer
    ) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.interfaceID = interfaceID
        self.originalLength = originalLength
        self.direction = direction
        self.data = data
    }
}
