/// Why a capture file could not be read, or could be read only up to a point.
///
/// Every error says where: `offset` is the byte at which the bad header, record or block starts, and
/// `recordNumber` is the 1-based number of the packet record being read (the records before it were delivered).
/// `severity` tells a caller whether anything usable was read.
public struct CaptureFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Whether the file could be used at all.
    public enum Severity: Hashable, Sendable {
        /// Nothing could be read: the file is not a capture file, or its file header or first section header is bad.
        case unreadable
        /// The file is damaged part-way: every record before `offset` was read and is good.
        case damaged
    }

    /// What part of the file was cut short.
    public enum Unit: Hashable, Sendable, CustomStringConvertible {
        /// The classic pcap file header (24 bytes).
        case fileHeader
        /// A classic pcap record (header and data).
        case record
        /// A pcapng block, by its block type.
        case block(type: UInt32)

        public var description: String {
            switch self {
            case .fileHeader: return "the file header"
            case .record: return "a packet record"
            case .block(let type):
                let name = PcapngBlockType.name(of: type)
                return (name.first.map { "AEIOU".contains($0) } == true ? "an " : "a ") + name
            }
        }
    }

    public enum Code: Hashable, Sendable {
        /// The first bytes are no pcap or pcapng magic number.
        case notACaptureFile(firstBytes: [UInt8])
        /// A pcap file header or pcapng Section Header Block with a version this reader (and libpcap) rejects.
        case unsupportedVersion(format: String, major: Int, minor: Int)
        /// Bits 16-25 of the pcap link-type field must be zero (draft-ietf-opsawg-pcap §4, "LinkType and
        /// additional information").
        case reservedLinkTypeBitsSet(rawLinkType: UInt32)
        /// A record claims more captured bytes than any capture of its link type can hold.
        case capturedLengthTooLarge(capturedLength: Int, limit: Int)
        /// A pcapng Section Header Block whose byte-order magic is neither 0x1A2B3C4D nor its swap.
        case badByteOrderMagic(UInt32)
        /// A pcapng block length that is not a multiple of 4, or smaller than the 12-byte framing.
        case invalidBlockLength(blockType: UInt32, length: Int)
        /// A pcapng block shorter than the fixed fields of its type.
        case blockTooShort(blockType: UInt32, length: Int, minimum: Int)
        /// A pcapng block length beyond any sensible size.
        case blockTooLarge(blockType: UInt32, length: Int, limit: Int)
        /// The length at the end of a pcapng block differs from the one at its start.
        case blockLengthMismatch(blockType: UInt32, leading: Int, trailing: Int)
        /// A pcapng packet block whose captured length runs past the end of the block.
        case capturedLengthExceedsBlock(blockType: UInt32, capturedLength: Int, room: Int)
        /// A pcapng option whose length runs past the end of its block.
        case malformedOption(blockType: UInt32, optionCode: Int, optionLength: Int)
        /// The file ends inside a header, record or block: `available` of its `needed` bytes are present.
        case truncated(unit: Unit, needed: Int, available: Int)
    }

    public var code: Code
    /// The byte offset of the header, record or block at fault.
    public var offset: Int
    /// The 1-based number of the packet record being read; `recordNumber - 1` records were delivered before it.
    public var recordNumber: Int
    public var severity: Severity

    public init(_ code: Code, offset: Int, recordNumber: Int, severity: Severity) {
        self.code = code
        self.offset = offset
        self.recordNumber = recordNumber
        self.severity = severity
    }

    /// The records delivered before the error.
    public var recordsBeforeError: Int { recordNumber - 1 }

    public var description: String {
        switch code {
        case .notACaptureFile(let firstBytes):
            guard !firstBytes.isEmpty else { return "not a capture file: the file is empty" }
            return "not a capture file: it starts with \(Self.hexAndText(firstBytes)), which is neither a pcap "
                + "magic number (a1b2c3d4, a1b23c4d, a1b2cd34 in either byte order) nor a pcapng section header "
                + "(0a0d0d0a)"
        case .unsupportedVersion(let format, let major, let minor):
            return "unsupported \(format) version \(major).\(minor) at byte \(offset)"
        case .reservedLinkTypeBitsSet(let raw):
            return "the link-type field 0x\(Self.hex(raw)) has reserved bits 16-25 set, so it is not a valid pcap "
                + "file header"
        case .capturedLengthTooLarge(let capturedLength, let limit):
            return "record \(recordNumber) at byte \(offset) claims \(capturedLength) captured bytes, more than "
                + "the \(limit)-byte maximum for its link type: the file is corrupt from here on"
        case .badByteOrderMagic(let magic):
            return "section header at byte \(offset) has byte-order magic 0x\(Self.hex(magic)), not 0x1a2b3c4d"
        case .invalidBlockLength(let type, let length):
            return "\(PcapngBlockType.name(of: type)) at byte \(offset) has length \(length), which is "
                + (length < 12 ? "smaller than the 12-byte minimum" : "not a multiple of 4")
                + " (before record \(recordNumber))"
        case .blockTooShort(let type, let length, let minimum):
            return "\(PcapngBlockType.name(of: type)) at byte \(offset) is \(length) bytes long, shorter than "
                + "the \(minimum) bytes its fields need (before record \(recordNumber))"
        case .blockTooLarge(let type, let length, let limit):
            return "\(PcapngBlockType.name(of: type)) at byte \(offset) claims \(length) bytes, more than the "
                + "\(limit)-byte limit: the file is corrupt from here on (before record \(recordNumber))"
        case .blockLengthMismatch(let type, let leading, let trailing):
            return "\(PcapngBlockType.name(of: type)) at byte \(offset) starts with length \(leading) but ends "
                + "with length \(trailing) (before record \(recordNumber))"
        case .capturedLengthExceedsBlock(let type, let capturedLength, let room):
            return "\(PcapngBlockType.name(of: type)) at byte \(offset) (record \(recordNumber)) claims "
                + "\(capturedLength) captured bytes but has room for \(room)"
        case .malformedOption(let type, let optionCode, let optionLength):
            return "\(PcapngBlockType.name(of: type)) at byte \(offset) has option \(optionCode) of length "
                + "\(optionLength), which runs past the end of the block"
        case .truncated(let unit, let needed, let available):
            return "truncated at byte \(offset + available), inside record \(recordNumber): the file ends "
                + "\(needed - available) bytes short of the end of \(unit) that starts at byte \(offset)"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }

    private static func hexAndText(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { Hex.byte($0) }.joined(separator: " ")
        let text = String(bytes.map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." })
        return "\(hex) (\"\(text)\")"
    }
}
