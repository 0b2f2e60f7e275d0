/// Walks the options at the end of a pcapng block, draft-ietf-opsawg-pcapng §3.5 (Options).
///
/// Each option is a 16-bit code, a 16-bit length and a value padded to 32 bits; code 0 (`opt_endofopt`) ends the list,
/// and so does the end of the block.
struct PcapngOptionReader {
    enum Step {
        case option(code: UInt16, value: UnsafeRawBufferPointer)
        case end
        /// The option's value runs past the end of the block.
        case malformed(code: UInt16, length: Int)
    }

    private var reader: ByteReader
    private let byteOrder: ByteOrder

    init(_ reader: ByteReader, byteOrder: ByteOrder) {
        self.reader = reader
        self.byteOrder = byteOrder
    }

    mutating func next() -> Step {
        guard let code = reader.readUInt16(byteOrder), let length = reader.readUInt16(byteOrder), code != 0 else {
            return .end
        }
        guard let value = reader.readBytes(Int(length)) else { return .malformed(code: code, length: Int(length)) }
        // Padding may be missing after the last option of a sloppy writer; that is harmless.
        _ = reader.skip((4 - Int(length) % 4) % 4)
        return .option(code: code, value: value)
    }

    /// Reads an option value as an integer of the section's byte order.
    static func integer<T: FixedWidthInteger>(_ value: UnsafeRawBufferPointer, as type: T.Type, _ order: ByteOrder)
        -> T?
    {
        var reader = ByteReader(value)
        switch T.bitWidth {
        case 8: return reader.readUInt8().map { T(truncatingIfNeeded: $0) }
        case 32: return reader.readUInt32(order).map { T(truncatingIfNeeded: $0) }
        case 64: return reader.readUInt64(order).map { T(truncatingIfNeeded: $0) }
        default: return nil
        }
    }
}
