import PathVerifyCore

/// A record with its bytes copied out of the parser's buffer, so tests can keep and compare it.
struct OwnedRecord: Equatable, CustomStringConvertible {
    var timestamp: Timestamp
    var linkType: LinkType
    var interfaceID: Int
    var originalLength: Int
    var direction: Direction
    var data: [UInt8]

    init(_ record: CaptureRecord) {
        timestamp = record.timestamp
        linkType = record.linkType
        interfaceID = record.interfaceID
        originalLength = record.originalLength
        direction = record.direction
        data = Array(record.data)
    }

    var description: String {
        "#\(interfaceID) \(linkType.rawValue) \(timestamp.nanoseconds)ns \(direction) \(data.count)/\(originalLength)"
    }
}

/// What feeding a whole file to a `CaptureStreamParser` produced.
struct ParseOutcome {
    var records: [OwnedRecord]
    var parser: CaptureStreamParser
    var error: CaptureFileError? { parser.error }
}

/// Feeds `bytes` to a fresh parser the way `CaptureFileReader` does: `chunkSize` new bytes at a time appended to the
/// unconsumed tail, `isFinal` on the last call.
func parseCapture(_ bytes: [UInt8], chunkSize: Int? = nil) -> ParseOutcome {
    var parser = CaptureStreamParser()
    var records: [OwnedRecord] = []
    var pending: [UInt8] = []
    var next = 0
    let step = chunkSize ?? max(1, bytes.count)
    repeat {
        let end = min(bytes.count, next + step)
        pending += bytes[next..<end]
        next = end
        let isFinal = next == bytes.count
        let consumed = pending.withUnsafeBytes { buffer in
            parser.parse(buffer, isFinal: isFinal) { records.append(OwnedRecord($0)) }
        }
        pending.removeFirst(consumed)
        if parser.error != nil { break }
    } while next < bytes.count
    return ParseOutcome(records: records, parser: parser)
}

/// Lays out pcapng blocks field by field as draft-ietf-opsawg-pcapng §3.1 and §4 describe them, in either byte order.
/// Independent of `PcapngWriter`, so tests of the parser do not rest on the writer.
struct PcapngBuilder {
    var byteOrder: ByteOrder
    var bytes: [UInt8] = []

    init(_ byteOrder: ByteOrder) {
        self.byteOrder = byteOrder
    }

    func u16(_ value: UInt16) -> [UInt8] {
        let big = [UInt8(value >> 8), UInt8(value & 0xFF)]
        return byteOrder == .big ? big : big.reversed()
    }

    func u32(_ value: UInt32) -> [UInt8] {
        let big = [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
        return byteOrder == .big ? big : big.reversed()
    }

    func u64(_ value: UInt64) -> [UInt8] {
        byteOrder == .big
            ? u32(UInt32(value >> 32)) + u32(UInt32(value & 0xFFFF_FFFF))
            : u32(UInt32(value & 0xFFFF_FFFF)) + u32(UInt32(value >> 32))
    }

    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
    }

    /// code (2) | length (2) | value padded to 4.
    func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        u16(code) + u16(UInt16(value.count)) + Self.padded(value)
    }

    func endOfOptions() -> [UInt8] { u32(0) }

    /// type (4) | total length (4) | body | total length (4).
    mutating func block(_ type: UInt32, _ body: [UInt8]) {
        let length = UInt32(12 + body.count)
        bytes += u32(type) + u32(length) + body + u32(length)
    }

    /// §4.1: byte-order magic | major 1 | minor 0 | section length -1.
    mutating func sectionHeader(major: UInt16 = 1, minor: UInt16 = 0) {
        block(0x0A0D_0D0A, u32(0x1A2B_3C4D) + u16(major) + u16(minor) + u64(UInt64.max))
    }

    /// §4.2: link type (2) | reserved (2) | snap length (4) | options.
    mutating func interface(linkType: UInt16 = 1, snapLength: UInt32 = 0, options: [[UInt8]] = []) {
        let optionBytes = options.isEmpty ? [] : options.flatMap { $0 } + endOfOptions()
        block(1, u16(linkType) + u16(0) + u32(snapLength) + optionBytes)
    }

    /// §4.3: interface (4) | timestamp high (4) | low (4) | captured length (4) | original length (4) | data |
    /// options.
    mutating func enhancedPacket(
        interface: UInt32, timestamp: UInt64, data: [UInt8], originalLength: UInt32? = nil, flags: UInt32? = nil
    ) {
        var body = u32(interface) + u32(UInt32(timestamp >> 32)) + u32(UInt32(timestamp & 0xFFFF_FFFF))
        body += u32(UInt32(data.count)) + u32(originalLength ?? UInt32(data.count)) + Self.padded(data)
        if let flags { body += option(2, u32(flags)) + endOfOptions() }
        block(6, body)
    }

    /// §4.4: original length (4) | data.
    mutating func simplePacket(originalLength: UInt32, data: [UInt8]) {
        block(3, u32(originalLength) + Self.padded(data))
    }
}

/// A small frame whose bytes say which packet it is: `n` repeated `count` times.
func frame(_ n: UInt8, count: Int = 6) -> [UInt8] {
    [UInt8](repeating: n, count: count)
}
