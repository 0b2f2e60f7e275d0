/// Builds a pcapng file in memory: one Section Header Block, Interface Description Blocks, Enhanced Packet Blocks.
///
/// Format: draft-ietf-opsawg-pcapng §4.1 (SHB, version 1.0, section length -1 = unknown), §4.2 (IDB with `if_name`
/// and `if_MACaddr`; no `if_tsresol`, so timestamps are microseconds), §4.3 (EPB with `epb_flags` for the
/// direction). Used by tests and to write evidence files; the caller writes `bytes` to disk.
public struct PcapngWriter: Sendable {
    private var writer: CaptureByteWriter

    /// The file so far (since the last `takeBytes`).
    public var bytes: [UInt8] { writer.bytes }

    /// Hands over the bytes so far and forgets them, so that a long file can be written out
    /// as it grows.
    public mutating func takeBytes() -> [UInt8] {
        defer { writer.bytes.removeAll(keepingCapacity: true) }
        return writer.bytes
    }
    /// The interfaces added so far; the next one gets this number.
    public private(set) var interfaceCount = 0

    /// Starts a file with its Section Header Block.
    public init(byteOrder: ByteOrder = .little) {
        writer = CaptureByteWriter(byteOrder: byteOrder)
        let start = beginBlock(PcapngBlockType.sectionHeader)
        writer.append(PcapngBlockType.byteOrderMagic)
        writer.append(UInt16(1))
        writer.append(UInt16(0))
        writer.append(Int64(-1))
        endBlock(start)
    }

    /// Appends an Interface Description Block.
    /// - Parameters:
    ///   - linkType: the LINKTYPE_ of the interface's packets.
    ///   - snapLength: bytes; 0 means no limit.
    ///   - name: stored as `if_name` (option 2).
    ///   - macAddress: stored as `if_MACaddr` (option 6).
    /// - Returns: the interface's number, for `append(_:interfaceID:at:)`.
    @discardableResult
    public mutating func addInterface(
        linkType: LinkType, snapLength: Int = 0, name: String? = nil, macAddress: MACAddress? = nil
    ) -> Int {
        let start = beginBlock(PcapngBlockType.interfaceDescription)
        writer.append(UInt16(truncatingIfNeeded: linkType.rawValue))
        writer.append(UInt16(0))
        writer.append(UInt32(truncatingIfNeeded: snapLength))
        var hasOptions = false
        if let name {
            appendOption(code: 2, value: Array(name.utf8))
            hasOptions = true
        }
        if let macAddress {
            let octets = (0..<6).map { UInt8(truncatingIfNeeded: macAddress.rawValue >> UInt64(40 - 8 * $0)) }
            appendOption(code: 6, value: octets)
            hasOptions = true
        }
        if hasOptions { appendOption(code: 0, value: []) }
        endBlock(start)
        interfaceCount += 1
        return interfaceCount - 1
    }

    /// Appends an Enhanced Packet Block.
    /// - Parameters:
    ///   - data: the captured bytes.
    ///   - interfaceID: a number returned by `addInterface`.
    ///   - timestamp: stored in microseconds (the interface's default resolution).
    ///   - originalLength: the length on the wire in bytes; `data.count` when `nil`.
    ///   - direction: stored in `epb_flags` bits 0-1 unless `.unknown`.
    public mutating func append(
        _ data: [UInt8], interfaceID: Int, at timestamp: Timestamp, originalLength: Int? = nil,
        direction: Direction = .unknown
    ) {
        let start = beginBlock(PcapngBlockType.enhancedPacket)
        let (seconds, nanoseconds) = PcapWriter.split(timestamp)
        let units = UInt64(truncatingIfNeeded: seconds &* 1_000_000 &+ nanoseconds / 1000)
        writer.append(UInt32(truncatingIfNeeded: interfaceID))
        writer.append(UInt32(truncatingIfNeeded: units >> 32))
        writer.append(UInt32(truncatingIfNeeded: units))
        writer.append(UInt32(truncatingIfNeeded: data.count))
        writer.append(UInt32(truncatingIfNeeded: originalLength ?? data.count))
        writer.append(bytes: data)
        writer.padToFourBytes()
        if direction != .unknown {
            var flags = CaptureByteWriter(byteOrder: writer.byteOrder)
            flags.append(UInt32(direction == .inbound ? 0b01 : 0b10))
            appendOption(code: 2, value: flags.bytes)
            appendOption(code: 0, value: [])
        }
        endBlock(start)
    }

    private mutating func beginBlock(_ type: UInt32) -> Int {
        let start = writer.bytes.count
        writer.append(type)
        writer.append(UInt32(0))  // length, patched by endBlock
        return start
    }

    private mutating func endBlock(_ start: Int) {
        let length = UInt32(writer.bytes.count - start + 4)
        writer.append(length)
        writer.patch(length, at: start + 4)
    }

    private mutating func appendOption(code: UInt16, value: [UInt8]) {
        writer.append(code)
        writer.append(UInt16(truncatingIfNeeded: value.count))
        writer.append(bytes: value)
        writer.padToFourBytes()
    }
}
