/// One attribute of a netlink message: a `struct rtattr` / `struct nlattr` (linux/netlink.h,
/// linux/rtnetlink.h) and its payload.
struct NetlinkAttribute: Hashable, Sendable {
    /// The type, without the `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER` bits.
    var type: UInt16
    var payload: [UInt8]

    /// `struct rtattr`: len u16, type u16.
    static let headerLength = 4

    init(type: UInt16, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// The header, payload and padding as they go on the wire.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendHostOrder(UInt16(Self.headerLength + payload.count))
        bytes.appendHostOrder(type)
        bytes += payload
        bytes.padToAlignment()
        return bytes
    }

    /// Splits a run of attributes, each starting on a 4-byte boundary.
    /// - Parameter context: what holds them, for errors: `RTM_NEWROUTE`, `RTA_MULTIPATH of RTM_NEWROUTE`.
    /// - Throws: `NetlinkDecodeError` if a header or a payload is cut short, or a length is
    ///   smaller than the header.
    static func parseAll(_ bytes: [UInt8], in context: String) throws(NetlinkDecodeError) -> [NetlinkAttribute] {
        try NetlinkBytes.read(bytes) { (reader) throws(NetlinkDecodeError) in
            var attributes: [NetlinkAttribute] = []
            let order = NetlinkBytes.hostOrder
            while reader.remaining > 0 {
                let available = reader.remaining
                guard let length = reader.readUInt16(order), let rawType = reader.readUInt16(order) else {
                    throw NetlinkDecodeError(
                        field: "attribute header in \(context)",
                        reason: .truncated(needed: headerLength, available: available))
                }
                let type = rawType & Netlink.attributeTypeMask
                guard length >= headerLength else {
                    throw NetlinkDecodeError(
                        field: "attribute \(type) of \(context)",
                        reason: .lengthBelowHeader(length: Int(length), header: headerLength))
                }
                guard let payload = reader.readBytes(Int(length) - headerLength) else {
                    throw NetlinkDecodeError(
                        field: "attribute \(type) of \(context)",
                        reason: .truncated(needed: Int(length), available: available))
                }
                attributes.append(NetlinkAttribute(type: type, payload: Array(payload)))
                let padding = NetlinkBytes.aligned(Int(length)) - Int(length)
                _ = reader.skip(min(padding, reader.remaining))
            }
            return attributes
        }
    }
}

/// One attribute type of one message kind (`RTA_GATEWAY`, `FRA_TABLE`), with the kernel's name
/// for errors that say which attribute was short.
struct NetlinkAttributeType: Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt16
    var name: String

    init(_ rawValue: UInt16, _ name: String) {
        self.rawValue = rawValue
        self.name = name
    }

    var description: String { name }
}
