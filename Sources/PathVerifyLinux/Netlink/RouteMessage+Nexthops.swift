import PathVerifyCore

extension RouteMessage {
    /// One `struct rtnexthop` of `RTA_MULTIPATH` (linux/rtnetlink.h), with its gateway.
    struct Nexthop: Hashable, Sendable {
        /// `rtnh_flags`: `RTNH_F_*`.
        var flags: UInt8
        var interfaceIndex: UInt32
        var gateway: IPAddress?

        var isLinkDown: Bool { UInt32(flags) & RTNetlink.nexthopFlagLinkDown != 0 }
    }

    /// Splits `RTA_MULTIPATH` into its nexthops: each a `struct rtnexthop` whose `rtnh_len`
    /// counts its own attributes (`RTA_GATEWAY`, `RTA_VIA`), starting on a 4-byte boundary.
    /// - Throws: `NetlinkDecodeError` if a nexthop or one of its attributes is cut short.
    static func nexthops(_ bytes: [UInt8], family: UInt8, context: String) throws(NetlinkDecodeError) -> [Nexthop] {
        let field = "rtnexthop in \(context)"
        return try NetlinkBytes.read(bytes) { (reader) throws(NetlinkDecodeError) in
            var nexthops: [Nexthop] = []
            let order = NetlinkBytes.hostOrder
            let header = RTNetlink.nexthopHeaderLength
            while reader.remaining > 0 {
                let available = reader.remaining
                guard let length = reader.readUInt16(order), let flags = reader.readUInt8(),
                    reader.skip(1),  // rtnh_hops: a weight, which says nothing about where packets go
                    let index = reader.readUInt32(order)
                else {
                    throw NetlinkDecodeError(field: field, reason: .truncated(needed: header, available: available))
                }
                guard Int(length) >= header else {
                    throw NetlinkDecodeError(
                        field: field, reason: .lengthBelowHeader(length: Int(length), header: header))
                }
                guard let rest = reader.readBytes(Int(length) - header) else {
                    throw NetlinkDecodeError(
                        field: field, reason: .truncated(needed: Int(length), available: available))
                }
                let attributes = try NetlinkAttributes(parsing: Array(rest), context: field)
                nexthops.append(
                    Nexthop(flags: flags, interfaceIndex: index, gateway: try gateway(in: attributes, family: family)))
                let padding = NetlinkBytes.aligned(Int(length)) - Int(length)
                _ = reader.skip(min(padding, reader.remaining))
            }
            return nexthops
        }
    }
}
