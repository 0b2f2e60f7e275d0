/// Reads a capture file, classic pcap or pcapng, from chunks of bytes and hands out its packet records.
///
/// The format is detected from the first bytes (classic pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.html;
/// pcapng: draft-ietf-opsawg-pcapng). The caller reads the file in large chunks, calls `parse` on what it has, keeps
/// the bytes that were not consumed (an incomplete record at the end of the chunk) and puts them in front of the next
/// chunk. Records point into the caller's buffer: nothing is copied and nothing is allocated per record.
///
/// ```swift
/// var parser = CaptureStreamParser()
/// let consumed = parser.parse(chunk, isFinal: atEndOfFile) { record in ... }
/// // keep chunk[consumed...], make room for at least `parser.bytesNeeded` bytes, read more
/// if let error = parser.error { ... }  // `.unreadable`: nothing read; `.damaged`: the records so far are good
/// ```
public struct CaptureStreamParser: Sendable {
    /// The detected format, once the first bytes have been seen.
    public private(set) var format: CaptureFormat?
    private var pcap: PcapRecordParser?
    private var pcapng: PcapngBlockParser?
    private var cursor = CaptureParseCursor()

    public init() {}

    /// The interfaces seen so far, in file order (`CaptureInterface.index` is the position).
    public var interfaces: [CaptureInterface] {
        if let pcapng { return pcapng.interfaces }
        if let interface = pcap?.interface { return [interface] }
        return []
    }

    /// The records handed out so far.
    public var recordCount: Int { cursor.recordCount }
    /// pcapng packet blocks skipped because they name an interface their section does not have.
    public var recordsWithUnknownInterface: Int { cursor.recordsWithUnknownInterface }
    /// The file offset of the first byte not yet consumed.
    public var offset: Int { cursor.offset }
    /// The number of contiguous bytes, from `offset`, that the next step needs; a caller whose buffer is smaller must
    /// grow it.
    public var bytesNeeded: Int { cursor.bytesNeeded }
    /// Why parsing stopped, if it did. Once set, `parse` consumes nothing.
    public var error: CaptureFileError? { cursor.error }

    /// Parses as many complete records as `buffer` holds and calls `body` for each.
    ///
    /// - Parameters:
    ///   - buffer: the file's bytes from `offset` on. Records passed to `body` point into it.
    ///   - isFinal: `true` if the file ends with `buffer`; an incomplete record is then a truncation error.
    ///   - body: called once per packet record, in file order.
    /// - Returns: the number of bytes consumed from the start of `buffer`; the caller passes the rest again.
    public mutating func parse(
        _ buffer: UnsafeRawBufferPointer, isFinal: Bool, _ body: (CaptureRecord) -> Void
    ) -> Int {
        parse(buffer, isFinal: isFinal, onInterface: { _ in }, body)
    }

    /// Like `parse(_:isFinal:_:)`, and also calls `onInterface` for each interface as soon as it is read: the file
    /// header of classic pcap, each Interface Description Block of pcapng. It is called before any record of that
    /// interface is passed to `body`.
    public mutating func parse(
        _ buffer: UnsafeRawBufferPointer, isFinal: Bool, onInterface: (CaptureInterface) -> Void,
        _ body: (CaptureRecord) -> Void
    ) -> Int {
        guard !cursor.failed else { return 0 }
        if format == nil {
            guard detectFormat(buffer, isFinal: isFinal) else { return 0 }
        }
        if pcap != nil {
            return pcap?.parse(buffer, isFinal: isFinal, cursor: &cursor, onInterface: onInterface, body) ?? 0
        }
        return pcapng?.parse(buffer, isFinal: isFinal, cursor: &cursor, onInterface: onInterface, body) ?? 0
    }

    /// Picks the parser from the magic number; returns `false` if there are too few bytes or no magic number.
    private mutating func detectFormat(_ buffer: UnsafeRawBufferPointer, isFinal: Bool) -> Bool {
        var reader = ByteReader(buffer)
        guard let magic = reader.readUInt32() else {
            cursor.bytesNeeded = 4
            if isFinal {
                var bytes = ByteReader(buffer)
                cursor.fail(
                    .notACaptureFile(
                        firstBytes: Array(bytes.readBytes(buffer.count) ?? UnsafeRawBufferPointer(start: nil, count: 0))
                    ),
                    at: 0, severity: .unreadable)
            }
            return false
        }
        switch magic {
        case 0xA1B2_C3D4, 0xD4C3_B2A1:
            let order: ByteOrder = magic == 0xA1B2_C3D4 ? .big : .little
            format = .pcap(byteOrder: order, nanosecond: false)
            pcap = PcapRecordParser(byteOrder: order, nanosecond: false, modified: false)
        case 0xA1B2_3C4D, 0x4D3C_B2A1:
            let order: ByteOrder = magic == 0xA1B2_3C4D ? .big : .little
            format = .pcap(byteOrder: order, nanosecond: true)
            pcap = PcapRecordParser(byteOrder: order, nanosecond: true, modified: false)
        case 0xA1B2_CD34, 0x34CD_B2A1:
            let order: ByteOrder = magic == 0xA1B2_CD34 ? .big : .little
            format = .pcapModified(byteOrder: order)
            pcap = PcapRecordParser(byteOrder: order, nanosecond: false, modified: true)
        case PcapngBlockType.sectionHeader:
            format = .pcapng
            pcapng = PcapngBlockParser()
        default:
            var bytes = ByteReader(buffer)
            let first = bytes.readBytes(min(8, buffer.count)).map { Array($0) } ?? []
            cursor.fail(.notACaptureFile(firstBytes: first), at: 0, severity: .unreadable)
            return false
        }
        return true
    }
}
