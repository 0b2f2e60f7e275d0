/// Streams the packet records of a pcapng file, block by block.
///
/// Format: draft-ietf-opsawg-pcapng. Handled: §4.1 Section Header Block (either byte order, any number of sections),
/// §4.2 Interface Description Block, §4.3 Enhanced Packet Block, §4.4 Simple Packet Block, and the obsolete Packet
/// Block of Appendix A. Every other block (Name Resolution, Interface Statistics, Decryption Secrets, Custom, unknown)
/// is skipped by its length, as §3.1 tells readers to do.
struct PcapngBlockParser: Sendable {
    /// Interfaces of every section, numbered across the file.
    private(set) var interfaces: [CaptureInterface] = []
    /// What a packet block needs from its interface, parallel to `interfaces`. Plain values only: copying a
    /// `CaptureInterface` (which holds strings) for every packet would cost a retain and a release.
    private var packetInterfaces: [PacketInterface] = []

    private struct PacketInterface {
        var linkType: LinkType
        var snapLength: Int
        var resolution: CaptureTimestampResolution
        /// `if_tsoffset` in nanoseconds.
        var offset: Int64
        /// Nanoseconds per timestamp unit, or 0 when the resolution needs the general conversion.
        var nanosecondsPerUnit: Int64

        init(_ interface: CaptureInterface) {
            linkType = interface.linkType
            snapLength = interface.snapLength
            resolution = interface.timestampResolution
            offset = interface.timestampOffset &* 1_000_000_000
            nanosecondsPerUnit = interface.timestampResolution.nanosecondsPerUnit
        }

        func timestamp(units: UInt64) -> Timestamp {
            let nanoseconds =
                nanosecondsPerUnit != 0
                ? Int64(bitPattern: units) &* nanosecondsPerUnit : resolution.nanoseconds(units: units)
            return Timestamp(nanoseconds: nanoseconds &+ offset)
        }
    }
    private var byteOrder = ByteOrder.little
    private var sectionCount = 0
    /// The file-wide index of the current section's first interface.
    private var sectionFirstInterface = 0
    /// Block lengths above this are treated as corruption. libpcap starts at 16 MiB and allows more only for link
    /// types with bigger records (`MAX_BLOCKSIZE_FOR_SNAPLEN` in sf-pcapng.c); so does this.
    private var blockLengthLimit = 16 * 1024 * 1024

    /// Block header (type, length) plus the trailing length: the smallest possible block.
    private static let framingLength = 12

    mutating func parse(
        _ buffer: UnsafeRawBufferPointer, isFinal: Bool, cursor: inout CaptureParseCursor,
        onInterface: (CaptureInterface) -> Void, _ body: (CaptureRecord) -> Void
    ) -> Int {
        var position = 0
        var needed = Self.framingLength
        var truncatedType: UInt32?
        while !cursor.failed {
            var reader = ByteReader(buffer, offset: position)
            guard reader.remaining >= Self.framingLength, let blockType = reader.readFieldUInt32(byteOrder) else {
                needed = Self.framingLength
                truncatedType = reader.remaining >= 4 ? reader.peekType(byteOrder) : nil
                break
            }
            // A Section Header Block sets the byte order for itself and the blocks after it. Its type code reads
            // the same in both orders; the byte-order magic after the length tells which one is used.
            if blockType == PcapngBlockType.sectionHeader {
                var magicReader = ByteReader(buffer, offset: position + 8)
                guard let magic = magicReader.readUInt32() else { break }
                if magic == PcapngBlockType.byteOrderMagic {
                    byteOrder = .big
                } else if magic == PcapngBlockType.byteOrderMagic.byteSwapped {
                    byteOrder = .little
                } else {
                    cursor.fail(.badByteOrderMagic(magic), at: position, severity: severityHere)
                    break
                }
            }
            guard let rawLength = reader.readFieldUInt32(byteOrder) else { break }
            let length = Int(rawLength)
            guard length >= Self.framingLength, length % 4 == 0 else {
                cursor.fail(
                    .invalidBlockLength(blockType: blockType, length: length), at: position, severity: severityHere)
                break
            }
            guard length <= blockLengthLimit else {
                cursor.fail(
                    .blockTooLarge(blockType: blockType, length: length, limit: blockLengthLimit), at: position,
                    severity: severityHere)
                break
            }
            guard reader.remaining + 8 >= length else {
                needed = length
                truncatedType = blockType
                break
            }
            let block = UnsafeRawBufferPointer(rebasing: buffer[position..<position + length])
            var trailer = ByteReader(block, offset: length - 4)
            guard let trailingLength = trailer.readFieldUInt32(byteOrder), Int(trailingLength) == length else {
                let trailing = ByteReader(block, offset: length - 4).peekLength(byteOrder)
                cursor.fail(
                    .blockLengthMismatch(blockType: blockType, leading: length, trailing: trailing), at: position,
                    severity: severityHere)
                break
            }
            let contents = ByteReader(UnsafeRawBufferPointer(rebasing: block[8..<length - 4]))
            if let code = parseBlock(type: blockType, contents, cursor: &cursor, onInterface: onInterface, body) {
                cursor.fail(code, at: position, severity: severityHere)
                break
            }
            position += length
        }
        if !cursor.failed {
            cursor.bytesNeeded = needed
            if isFinal, position < buffer.count {
                let unit: CaptureFileError.Unit = truncatedType.map { .block(type: $0) } ?? .block(type: 0)
                cursor.fail(
                    .truncated(unit: unit, needed: needed, available: buffer.count - position), at: position,
                    severity: severityHere)
            }
        }
        cursor.offset += position
        return position
    }

    /// Nothing is usable until the first section header has been read.
    private var severityHere: CaptureFileError.Severity { sectionCount == 0 ? .unreadable : .damaged }

    /// Handles one complete, framed block; returns the error that makes the file unreadable from here, if any.
    private mutating func parseBlock(
        type: UInt32, _ contents: ByteReader, cursor: inout CaptureParseCursor,
        onInterface: (CaptureInterface) -> Void, _ body: (CaptureRecord) -> Void
    ) -> CaptureFileError.Code? {
        switch type {
        case PcapngBlockType.enhancedPacket:
            return parseEnhancedPacket(contents, cursor: &cursor, body)
        case PcapngBlockType.simplePacket:
            return parseSimplePacket(contents, cursor: &cursor, body)
        case PcapngBlockType.interfaceDescription:
            if let error = parseInterfaceDescription(contents) { return error }
            if let interface = interfaces.last { onInterface(interface) }
            return nil
        case PcapngBlockType.sectionHeader:
            return parseSectionHeader(contents)
        case PcapngBlockType.packet:
            return parseObsoletePacket(contents, cursor: &cursor, body)
        default:
            return nil
        }
    }

    /// §4.1: byte-order magic (4), major (2), minor (2), section length (8), options.
    private mutating func parseSectionHeader(_ contents: ByteReader) -> CaptureFileError.Code? {
        var reader = contents
        guard reader.skip(4), let major = reader.readUInt16(byteOrder), let minor = reader.readUInt16(byteOrder),
            reader.skip(8)
        else {
            return .blockTooShort(
                blockType: PcapngBlockType.sectionHeader, length: contents.bytes.count + 12, minimum: 28)
        }
        // Version 1.0 is the format; 1.2 was written by some tools for files with extra block types and is read the
        // same way (libpcap sf-pcapng.c accepts exactly these two).
        guard major == 1, minor == 0 || minor == 2 else {
            return .unsupportedVersion(format: "pcapng", major: Int(major), minor: Int(minor))
        }
        var options = PcapngOptionReader(reader, byteOrder: byteOrder)
        while true {
            switch options.next() {
            case .option: continue
            case .end: break
            case .malformed(let code, let length):
                return .malformedOption(
                    blockType: PcapngBlockType.sectionHeader, optionCode: Int(code), optionLength: length)
            }
            break
        }
        sectionCount += 1
        sectionFirstInterface = interfaces.count
        return nil
    }

    /// §4.2: LinkType (2), reserved (2), SnapLen (4), options.
    private mutating func parseInterfaceDescription(_ contents: ByteReader) -> CaptureFileError.Code? {
        var reader = contents
        guard let linkType = reader.readUInt16(byteOrder), reader.skip(2),
            let snapLength = reader.readFieldUInt32(byteOrder)
        else {
            return .blockTooShort(
                blockType: PcapngBlockType.interfaceDescription, length: contents.bytes.count + 12, minimum: 20)
        }
        var interface = CaptureInterface(
            index: interfaces.count, section: max(0, sectionCount - 1), linkType: LinkType(rawValue: UInt32(linkType)),
            rawLinkType: UInt32(linkType), snapLength: Int(snapLength))
        var options = PcapngOptionReader(reader, byteOrder: byteOrder)
        optionLoop: while true {
            switch options.next() {
            case .end:
                break optionLoop
            case .malformed(let code, let length):
                return .malformedOption(
                    blockType: PcapngBlockType.interfaceDescription, optionCode: Int(code), optionLength: length)
            case .option(let code, let value):
                switch code {
                case 2: interface.name = String(decoding: value, as: UTF8.self)
                case 3: interface.interfaceDescription = String(decoding: value, as: UTF8.self)
                case 6:
                    var mac = ByteReader(value)
                    interface.macAddress = mac.readMACAddress()
                case 9:
                    if let raw = PcapngOptionReader.integer(value, as: UInt8.self, byteOrder) {
                        interface.timestampResolution = CaptureTimestampResolution(rawValue: raw)
                    }
                case 14:
                    if let offset = PcapngOptionReader.integer(value, as: Int64.self, byteOrder) {
                        interface.timestampOffset = offset
                    }
                default: break
                }
            }
        }
        interfaces.append(interface)
        packetInterfaces.append(PacketInterface(interface))
        blockLengthLimit = max(blockLengthLimit, interface.linkType.maximumCapturedLength + 64 * 1024)
        return nil
    }

    /// §4.3: Interface ID (4), Timestamp high (4) and low (4), Captured length (4), Original length (4), data padded
    /// to 32 bits, options (`epb_flags` = 2).
    private func parseEnhancedPacket(
        _ contents: ByteReader, cursor: inout CaptureParseCursor, _ body: (CaptureRecord) -> Void
    ) -> CaptureFileError.Code? {
        var reader = contents
        guard let interfaceID = reader.readFieldUInt32(byteOrder), let high = reader.readFieldUInt32(byteOrder),
            let low = reader.readFieldUInt32(byteOrder), let capturedLength = reader.readFieldUInt32(byteOrder),
            let originalLength = reader.readFieldUInt32(byteOrder)
        else {
            return .blockTooShort(
                blockType: PcapngBlockType.enhancedPacket, length: contents.bytes.count + 12, minimum: 32)
        }
        return deliverPacket(
            blockType: PcapngBlockType.enhancedPacket, localInterface: Int(interfaceID),
            timestampUnits: UInt64(high) << 32 | UInt64(low), capturedLength: Int(capturedLength),
            originalLength: Int(originalLength), reader: &reader, cursor: &cursor, body)
    }

    /// Appendix A: Interface ID (2), Drops Count (2), Timestamp high (4) and low (4), Captured length (4), Packet
    /// length (4), data, options (`pack_flags` = 2, laid out like `epb_flags`).
    private func parseObsoletePacket(
        _ contents: ByteReader, cursor: inout CaptureParseCursor, _ body: (CaptureRecord) -> Void
    ) -> CaptureFileError.Code? {
        var reader = contents
        guard let interfaceID = reader.readUInt16(byteOrder), reader.skip(2),
            let high = reader.readFieldUInt32(byteOrder),
            let low = reader.readFieldUInt32(byteOrder), let capturedLength = reader.readFieldUInt32(byteOrder),
            let originalLength = reader.readFieldUInt32(byteOrder)
        else {
            return .blockTooShort(blockType: PcapngBlockType.packet, length: contents.bytes.count + 12, minimum: 32)
        }
        return deliverPacket(
            blockType: PcapngBlockType.packet, localInterface: Int(interfaceID),
            timestampUnits: UInt64(high) << 32 | UInt64(low), capturedLength: Int(capturedLength),
            originalLength: Int(originalLength), reader: &reader, cursor: &cursor, body)
    }

    /// The common tail of EPB and Packet Block: data, padding, then options carrying the direction flags.
    private func deliverPacket(
        blockType: UInt32, localInterface: Int, timestampUnits: UInt64, capturedLength: Int, originalLength: Int,
        reader: inout ByteReader, cursor: inout CaptureParseCursor, _ body: (CaptureRecord) -> Void
    ) -> CaptureFileError.Code? {
        guard let data = reader.readBytes(capturedLength) else {
            return .capturedLengthExceedsBlock(
                blockType: blockType, capturedLength: capturedLength, room: reader.remaining)
        }
        let index = sectionFirstInterface + localInterface
        guard localInterface < interfaces.count - sectionFirstInterface else {
            cursor.recordsWithUnknownInterface += 1
            return nil
        }
        let interface = packetInterfaces[index]
        var direction = Direction.unknown
        if reader.remaining > 0, reader.skip((4 - capturedLength % 4) % 4) {
            direction = Self.direction(options: PcapngOptionReader(reader, byteOrder: byteOrder), byteOrder)
        }
        body(
            CaptureRecord(
                timestamp: interface.timestamp(units: timestampUnits), linkType: interface.linkType, interfaceID: index,
                originalLength: originalLength, direction: direction, data: data))
        cursor.recordCount += 1
        return nil
    }

    /// §4.4: Original length (4), data. The captured length is what fits: the smallest of the original length, the
    /// interface's snap length (if set) and the room in the block. The block has no timestamp; the record gets 0.
    private func parseSimplePacket(
        _ contents: ByteReader, cursor: inout CaptureParseCursor, _ body: (CaptureRecord) -> Void
    ) -> CaptureFileError.Code? {
        var reader = contents
        guard let originalLength = reader.readFieldUInt32(byteOrder) else {
            return .blockTooShort(
                blockType: PcapngBlockType.simplePacket, length: contents.bytes.count + 12, minimum: 16)
        }
        // A Simple Packet Block belongs to the section's first interface.
        guard sectionFirstInterface < interfaces.count else {
            cursor.recordsWithUnknownInterface += 1
            return nil
        }
        let interface = packetInterfaces[sectionFirstInterface]
        var capturedLength = min(Int(originalLength), reader.remaining)
        if interface.snapLength > 0 { capturedLength = min(capturedLength, interface.snapLength) }
        guard let data = reader.readBytes(capturedLength) else { return nil }  // cannot fail: bounded by remaining
        body(
            CaptureRecord(
                timestamp: Timestamp(nanoseconds: 0), linkType: interface.linkType, interfaceID: sectionFirstInterface,
                originalLength: Int(originalLength), direction: .unknown, data: data))
        cursor.recordCount += 1
        return nil
    }

    /// `epb_flags` (option 2) bits 0-1: 01 inbound, 10 outbound (§4.3.1). Malformed options leave it unknown.
    @inline(__always)
    private static func direction(options: PcapngOptionReader, _ byteOrder: ByteOrder) -> Direction {
        var options = options
        while case .option(let code, let value) = options.next() {
            guard code == 2, let flags = PcapngOptionReader.integer(value, as: UInt32.self, byteOrder) else { continue }
            switch flags & 0b11 {
            case 0b01: return .inbound
            case 0b10: return .outbound
            default: return .unknown
            }
        }
        return .unknown
    }
}

extension ByteReader {
    /// The 32-bit value at the read position without moving, or 0 if fewer than 4 bytes remain.
    fileprivate func peekLength(_ order: ByteOrder) -> Int {
        var copy = self
        return copy.readFieldUInt32(order).map { Int($0) } ?? 0
    }

    fileprivate func peekType(_ order: ByteOrder) -> UInt32? {
        var copy = self
        return copy.readFieldUInt32(order)
    }
}
