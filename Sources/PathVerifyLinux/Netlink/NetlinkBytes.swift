import PathVerifyCore

/// The byte-level conventions of netlink: host byte order, 4-byte alignment, and reads that go
/// through `ByteReader` so every one is bounds-checked.
///
/// Headers and most attributes are in the host's byte order (the kernel writes its own structs);
/// addresses, and the few attributes the headers mark `__be`, are in network order.
enum NetlinkBytes {
    /// The host's byte order, for `ByteReader`'s ordered reads.
    static let hostOrder: ByteOrder = 1.littleEndian == 1 ? .little : .big

    /// `NLMSG_ALIGN` and `RTA_ALIGN`: messages and attributes start on 4-byte boundaries.
    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }

    /// Runs `body` with a reader over `bytes`; the reader must not escape it.
    static func read<Value>(
        _ bytes: [UInt8], _ body: (inout ByteReader) throws(NetlinkDecodeError) -> Value
    ) throws(NetlinkDecodeError) -> Value {
        // `withUnsafeBytes` only rethrows untyped errors; the `Result` carries the typed one out.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(NetlinkDecodeError) -> Value in
                var reader = ByteReader(raw)
                return try body(&reader)
            }
        }.get()
    }

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address in network order, as `family` says.
    /// - Throws: `NetlinkDecodeError` naming `field` if the size is not the family's.
    static func address(_ bytes: [UInt8], family: UInt8, field: String) throws(NetlinkDecodeError) -> IPAddress {
        let isIPv6 = family == AddressFamily.ipv6
        guard isIPv6 || family == AddressFamily.ipv4 else {
            throw NetlinkDecodeError(
                field: field, reason: .invalid("address family \(family) is neither IPv4 nor IPv6"))
        }
        let size = isIPv6 ? 16 : 4
        guard bytes.count <= size else {
            throw NetlinkDecodeError(
                field: field,
                reason: .invalid("\(bytes.count) bytes, but an \(isIPv6 ? "IPv6" : "IPv4") address has \(size)"))
        }
        return try read(bytes) { (reader) throws(NetlinkDecodeError) in
            guard let address = isIPv6 ? reader.readIPv6Address() : reader.readIPv4Address() else {
                throw NetlinkDecodeError(field: field, reason: .truncated(needed: size, available: bytes.count))
            }
            return address
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in the host's byte order, as netlink headers carry it.
    mutating func appendHostOrder<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) }
    }

    /// Appends an address in network order: 4 bytes for IPv4, 16 for IPv6.
    mutating func appendAddress(_ address: IPAddress) {
        if address.isIPv6 {
            Swift.withUnsafeBytes(of: address.high.bigEndian) { append(contentsOf: $0) }
            Swift.withUnsafeBytes(of: address.low.bigEndian) { append(contentsOf: $0) }
        } else {
            Swift.withUnsafeBytes(of: address.ipv4Value.bigEndian) { append(contentsOf: $0) }
        }
    }

    /// Appends zeros up to the next 4-byte boundary.
    mutating func padToAlignment() {
        append(contentsOf: repeatElement(0, count: NetlinkBytes.aligned(count) - count))
    }
}
