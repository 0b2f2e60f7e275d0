/// Streams the records of a classic pcap file.
///
/// Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html and draft-ietf-opsawg-pcap §4 (File Header) and §5
/// (Packet Record). The modified format (magic 0xa1b2cd34) adds 8 bytes to each record header: ifindex (4),
/// protocol (2), packet type (1), padding (1); see libpcap `sf-pcap.c` (`struct pcap_sf_patched_pkthdr`).
struct PcapRecordParser: Sendable {
    static let fileHeaderLength = 24

    let byteOrder: ByteOrder
    let nanosecond: Bool
    let modified: Bool
    private(set) var interface: CaptureInterface?
    private var capturedLengthLimit = 262_144

    init(byteOrder: ByteOrder, nanosecond: Bool, modified: Bool) {
        self.byteOrder = byteOrder
        self.nanosecond = nanosecond
        self.modified = modified
    }

    private var recordHeaderLength: Int { modified ? 24 : 16 }

    mutating func parse(
        _ buffer: UnsafeRawBufferPointer, isFinal: Bool, cursor: inout CaptureParseCursor,
        onInterface: (CaptureInterface) -> Void, _ body: (CaptureRecord) -> Void
    ) -> Int {
        var position = 0
        if interface == nil {
            guard parseFileHeader(buffer, isFinal: isFinal, cursor: &cursor) else { return 0 }
            position = Self.fileHeaderLength
            if let interface { onInterface(interface) }
        }
        guard let interface else { return 0 }  // set by parseFileHeader
        let order = byteOrder
        let headerLength = recordHeaderLength
        let fractionScale: Int64 = nanosecond ? 1 : 1000
        var needed = headerLength
        while true {
            var reader = ByteReader(buffer, offset: position)
            guard reader.has(headerLength) else {
                needed = headerLength
                break
            }
            let seconds = reader.uncheckedFieldUInt32(at: 0, order)
            let fraction = reader.uncheckedFieldUInt32(at: 4, order)
            let capturedLength = reader.uncheckedFieldUInt32(at: 8, order)
            let originalLength = reader.uncheckedFieldUInt32(at: 12, order)
            var direction = Direction.unknown
            if modified {
                // ifindex (4) and protocol (2) are skipped; the packet type is the kernel's sll_pkttype, where
                // 4 (PACKET_OUTGOING) is a packet this host sent and 0-3 are packets it received.
                let packetType = reader.uncheckedUInt8(at: 22)
                direction = packetType == 4 ? .outbound : packetType <= 3 ? .inbound : .unknown
            }
            reader.uncheckedSkip(headerLength)
            guard capturedLength <= capturedLengthLimit else {
                cursor.fail(
                    .capturedLengthTooLarge(capturedLength: Int(capturedLength), limit: capturedLengthLimit),
                    at: position, severity: .damaged)
                break
            }
            guard let data = reader.readBytes(Int(capturedLength)) else {
                needed = headerLength + Int(capturedLength)
                break
            }
            let nanoseconds = Int64(seconds) &* 1_000_000_000 &+ Int64(fraction) &* fractionScale
            body(
                CaptureRecord(
                    timestamp: Timestamp(nanoseconds: nanoseconds), linkType: interface.linkType, interfaceID: 0,
                    originalLength: Int(originalLength), direction: direction, data: data))
            cursor.recordCount += 1
            position = reader.offset
        }
        if !cursor.failed {
            cursor.bytesNeeded = needed
            if isFinal, position < buffer.count {
                cursor.fail(
                    .truncated(unit: .record, needed: needed, available: buffer.count - position), at: position,
                    severity: .damaged)
            }
        }
        cursor.offset += position
        return position
    }

    /// Reads the 24-byte file header; returns `false` if it is incomplete or invalid.
    private mutating func parseFileHeader(
        _ buffer: UnsafeRawBufferPointer, isFinal: Bool, cursor: inout CaptureParseCursor
    ) -> Bool {
        var reader = ByteReader(buffer)
        guard reader.skip(4), let major = reader.readUInt16(byteOrder), let minor = reader.readUInt16(byteOrder),
            reader.skip(8), let snapLength = reader.readFieldUInt32(byteOrder),
            let rawLinkType = reader.readFieldUInt32(byteOrder)
        else {
            cursor.bytesNeeded = Self.fileHeaderLength
            if isFinal {
                cursor.fail(
                    .truncated(unit: .fileHeader, needed: Self.fileHeaderLength, available: buffer.count), at: 0,
                    severity: .unreadable)
            }
            return false
        }
        // libpcap and Wireshark read major version 2 only; 1.x is the pre-1990s format nothing writes.
        guard major == 2 else {
            cursor.fail(
                .unsupportedVersion(format: "pcap", major: Int(major), minor: Int(minor)), at: 0,
                severity: .unreadable)
            return false
        }
        // Bits 0-15 are the link type, 16-25 reserved (must be 0), 26 the F bit, 28-31 the FCS length.
        guard rawLinkType & 0x03FF_0000 == 0 else {
            cursor.fail(.reservedLinkTypeBitsSet(rawLinkType: rawLinkType), at: 0, severity: .unreadable)
            return false
        }
        let linkType = LinkType(rawValue: rawLinkType & 0xFFFF)
        capturedLengthLimit = linkType.maximumCapturedLength
        interface = CaptureInterface(
            index: 0, linkType: linkType, rawLinkType: rawLinkType, snapLength: Int(snapLength),
            timestampResolution: nanosecond ? .nanoseconds : .microseconds)
        return true
    }
}
