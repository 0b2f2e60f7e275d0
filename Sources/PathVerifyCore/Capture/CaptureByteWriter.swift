/// Appends integers in a chosen byte order; the writing half that `PcapWriter` and `PcapngWriter` share.
struct CaptureByteWriter: Sendable {
    var bytes: [UInt8] = []
    let byteOrder: ByteOrder

    init(byteOrder: ByteOrder) {
        self.byteOrder = byteOrder
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        let ordered = byteOrder == .big ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    mutating func append(bytes other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    /// Pads with zero bytes to a multiple of 4, as pcapng requires after packet data and option values.
    mutating func padToFourBytes() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    /// Overwrites a 32-bit value written earlier (a pcapng block length known only at the end).
    mutating func patch(_ value: UInt32, at offset: Int) {
        let ordered = byteOrder == .big ? value.bigEndian : value.littleEndian
        withUnsafeBytes(of: ordered) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }
}
