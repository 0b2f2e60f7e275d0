/// A link message (`RTM_NEWLINK`): `struct ifinfomsg` (linux/rtnetlink.h) and its attributes,
/// read only for the interface's index and name.
struct LinkMessage: Hashable, Sendable {
    var index: UInt32
    /// `IFLA_IFNAME`; `nil` if the kernel left it out.
    var name: String?

    /// Reads the index and name of a link message.
    /// - Throws: `NetlinkDecodeError` if the header or an attribute is cut short.
    init(decoding message: NetlinkMessage) throws(NetlinkDecodeError) {
        let context = "\(message.type)"
        let (index, rest) = try NetlinkBytes.read(message.payload) { (reader) throws(NetlinkDecodeError) in
            guard reader.skip(4),  // ifi_family, pad, ifi_type
                let index = reader.readUInt32(NetlinkBytes.hostOrder),
                reader.skip(8),  // ifi_flags, ifi_change
                let rest = reader.readBytes(reader.remaining)
            else {
                throw NetlinkDecodeError(
                    field: "ifinfomsg of \(context)",
                    reason: .truncated(needed: IfLink.headerLength, available: message.payload.count))
            }
            return (index, Array(rest))
        }
        self.index = index
        name = try NetlinkAttributes(parsing: rest, context: context).string(IfLink.interfaceName)
    }

    /// The `ifinfomsg` of a dump request for every interface (`AF_UNSPEC`).
    static func dumpRequest() -> [UInt8] {
        [UInt8](repeating: 0, count: IfLink.headerLength)
    }
}
