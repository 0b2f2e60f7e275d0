/// The one door through which packet and file bytes are read.
///
/// The reads are forced inline: they run several times per packet, and a call each costs more
/// than the read itself (measured with perf on the offline benchmark).
///
/// Every read is bounds-checked and returns `nil` past the end of the captured bytes, so a
/// short or odd packet is a normal result for the caller to report, never a crash. The
/// `unchecked` reads are for a decoder that has checked a whole header's length with `has(_:)`
/// first: one check per header instead of one per field. The reader never copies or modifies
/// the bytes it reads.
public struct ByteReader {
    /// The bytes being read. They must stay valid while the reader is used.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of the next read, from the start of `bytes`.
    public private(set) var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left to read.
    public var remaining: Int { bytes.count &- offset }  // offset never passes count

    /// Whether at least `count` bytes are left; `count` is a header's fixed length.
    @inline(__always)
    public func has(_ count: Int) -> Bool { remaining >= count }

    /// The byte at `offset + distance`; the caller checked `has(distance + 1)`.
    @inline(__always)
    public func uncheckedUInt8(at distance: Int) -> UInt8 {
        bytes.load(fromByteOffset: offset &+ distance, as: UInt8.self)
    }

    /// The big-endian 16-bit integer at `offset + distance`; the caller checked `has(distance + 2)`.
    @inline(__always)
    public func uncheckedUInt16(at distance: Int) -> UInt16 {
        UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset &+ distance, as: UInt16.self))
    }

    /// The big-endian 32-bit integer at `offset + distance`; the caller checked `has(distance + 4)`.
    @inline(__always)
    public func uncheckedUInt32(at distance: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset &+ distance, as: UInt32.self))
    }

    /// The big-endian 64-bit integer at `offset + distance`; the caller checked `has(distance + 8)`.
    @inline(__always)
    public func uncheckedUInt64(at distance: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset &+ distance, as: UInt64.self))
    }

    /// The hardware address at `offset + distance`; the caller checked `has(distance + 6)`.
    @inline(__always)
    public func uncheckedMACAddress(at distance: Int) -> MACAddress {
        MACAddress(rawValue: UInt64(uncheckedUInt16(at: distance)) << 32 | UInt64(uncheckedUInt32(at: distance &+ 2)))
    }

    /// Moves past `count` bytes; the caller checked `has(count)`.
    @inline(__always)
    public mutating func uncheckedSkip(_ count: Int) { offset &+= count }

    @inline(__always)
    public mutating func readUInt8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes.load(fromByteOffset: offset, as: UInt8.self)
    }

    /// Reads a big-endian (network order) 16-bit integer.
    @inline(__always)
    public mutating func readUInt16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// Reads a big-endian (network order) 32-bit integer.
    @inline(__always)
    public mutating func readUInt32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// Reads a big-endian (network order) 64-bit integer.
    @inline(__always)
    public mutating func readUInt64() -> UInt64? {
        guard remaining >= 8 else { return nil }
        defer { offset += 8 }
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Reads a 16-bit integer in the given byte order (capture files may be either).
    @inline(__always)
    public mutating func readUInt16(_ order: ByteOrder) -> UInt16? {
        guard let raw = readUInt16() else { return nil }
        return order == .big ? raw : raw.byteSwapped
    }

    /// Reads a 32-bit integer in the given byte order (capture files may be either).
    @inline(__always)
    public mutating func readUInt32(_ order: ByteOrder) -> UInt32? {
        guard let raw = readUInt32() else { return nil }
        return order == .big ? raw : raw.byteSwapped
    }

    /// Reads a 64-bit integer in the given byte order (capture files may be either).
    @inline(__always)
    public mutating func readUInt64(_ order: ByteOrder) -> UInt64? {
        guard let raw = readUInt64() else { return nil }
        return order == .big ? raw : raw.byteSwapped
    }

    /// Reads a 48-bit hardware address.
    @inline(__always)
    public mutating func readMACAddress() -> MACAddress? {
        guard let high = readUInt16(), let low = readUInt32() else { return nil }
        return MACAddress(rawValue: UInt64(high) << 32 | UInt64(low))
    }

    /// Reads a 4-byte IPv4 address.
    @inline(__always)
    public mutating func readIPv4Address() -> IPAddress? {
        guard let value = readUInt32() else { return nil }
        return IPAddress(ipv4: value)
    }

    /// Reads a 16-byte IPv6 address.
    @inline(__always)
    public mutating func readIPv6Address() -> IPAddress? {
        guard remaining >= 16, let high = readUInt64(), let low = readUInt64() else { return nil }
        return IPAddress(ipv6High: high, low: low)
    }

    /// Returns the next `count` bytes without copying them, or `nil` if fewer remain.
    @inline(__always)
    public mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// Moves past `count` bytes; returns `false`, without moving, if fewer remain.
    @inline(__always)
    public mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }

    /// Reads the byte at `offset + distance` without moving.
    @inline(__always)
    public func peekUInt8(at distance: Int = 0) -> UInt8? {
        let position = offset + distance
        guard position >= 0, position < bytes.count else { return nil }
        return bytes.load(fromByteOffset: position, as: UInt8.self)
    }
}

/// The byte order of a capture file's own headers (packet bytes are always network order).
public enum ByteOrder: Sendable {
    case big
    case little
}
