extension ByteReader {
    /// `readUInt32(_:)`, forced inline: the capture parsers read five to seven of these per record, and a call each
    /// was a measurable share of the per-record cost.
    @inline(__always)
    mutating func readFieldUInt32(_ order: ByteOrder) -> UInt32? {
        guard let raw = readUInt32() else { return nil }
        return order == .big ? raw : raw.byteSwapped
    }
}

extension ByteReader {
    /// The 32-bit field at `offset + distance` in the file's byte order; the caller checked `has(distance + 4)`.
    @inline(__always)
    func uncheckedFieldUInt32(at distance: Int, _ order: ByteOrder) -> UInt32 {
        let raw = uncheckedUInt32(at: distance)
        return order == .big ? raw : raw.byteSwapped
    }
}
