import PathVerifyCore

/// The attributes of one message, with typed reads that name the attribute when it is short.
///
/// A read returns `nil` when the attribute is absent (the kernel leaves out what is unset) and
/// throws when it is present but too short for its type.
struct NetlinkAttributes: Sendable {
    var all: [NetlinkAttribute]
    /// The message they belong to, for errors: `RTM_NEWROUTE`.
    var context: String

    init(_ all: [NetlinkAttribute], context: String) {
        self.all = all
        self.context = context
    }

    init(parsing bytes: [UInt8], context: String) throws(NetlinkDecodeError) {
        self.init(try NetlinkAttribute.parseAll(bytes, in: context), context: context)
    }

    /// The payload of the first attribute of this type.
    func payload(_ type: NetlinkAttributeType) -> [UInt8]? {
        all.first { $0.type == type.rawValue }?.payload
    }

    func contains(_ type: NetlinkAttributeType) -> Bool { payload(type) != nil }

    func uint8(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> UInt8? {
        try read(type, size: 1) { $0.readUInt8() }
    }

    /// A u16 in host order.
    func uint16(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> UInt16? {
        try read(type, size: 2) { $0.readUInt16(NetlinkBytes.hostOrder) }
    }

    /// A u32 in host order.
    func uint32(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> UInt32? {
        try read(type, size: 4) { $0.readUInt32(NetlinkBytes.hostOrder) }
    }

    /// A `__be32`: network order.
    func bigEndianUInt32(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> UInt32? {
        try read(type, size: 4) { $0.readUInt32() }
    }

    /// A `__be64`: network order.
    func bigEndianUInt64(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> UInt64? {
        try read(type, size: 8) { $0.readUInt64() }
    }

    /// Two u32 in host order (`struct fib_rule_uid_range`).
    func uint32Pair(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> (UInt32, UInt32)? {
        try read(type, size: 8) { reader in
            guard let first = reader.readUInt32(NetlinkBytes.hostOrder),
                let second = reader.readUInt32(NetlinkBytes.hostOrder)
            else { return nil }
            return (first, second)
        }
    }

    /// Two u16 in host order (`struct fib_rule_port_range`).
    func uint16Pair(_ type: NetlinkAttributeType) throws(NetlinkDecodeError) -> (UInt16, UInt16)? {
        try read(type, size: 4) { reader in
            guard let first = reader.readUInt16(NetlinkBytes.hostOrder),
                let second = reader.readUInt16(NetlinkBytes.hostOrder)
            else { return nil }
            return (first, second)
        }
    }

    /// A NUL-terminated string (`IFLA_IFNAME`, `FRA_IIFNAME`); the bytes from the first NUL on are dropped.
    func string(_ type: NetlinkAttributeType) -> String? {
        payload(type).map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// An address of `family` in network order.
    func address(_ type: NetlinkAttributeType, family: UInt8) throws(NetlinkDecodeError) -> IPAddress? {
        guard let payload = payload(type) else { return nil }
        return try NetlinkBytes.address(payload, family: family, field: field(type))
    }

    func field(_ type: NetlinkAttributeType) -> String { "\(type.name) of \(context)" }

    /// Reads a fixed-size value from the start of the payload; longer payloads are allowed (the
    /// kernel may pad), shorter ones are an error.
    private func read<Value>(
        _ type: NetlinkAttributeType, size: Int, _ body: (inout ByteReader) -> Value?
    ) throws(NetlinkDecodeError) -> Value? {
        guard let payload = payload(type) else { return nil }
        return try NetlinkBytes.read(payload) { (reader) throws(NetlinkDecodeError) in
            guard let value = body(&reader) else {
                throw NetlinkDecodeError(field: field(type), reason: .truncated(needed: size, available: payload.count))
            }
            return value
        }
    }
}
