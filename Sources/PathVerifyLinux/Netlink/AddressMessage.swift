import PathVerifyCore

/// An address message (`RTM_NEWADDR`): `struct ifaddrmsg` (linux/if_addr.h) and its attributes,
/// read only for the interface's own address.
struct AddressMessage: Hashable, Sendable {
    /// `IFA_LOCAL`, else `IFA_ADDRESS` (which on a point-to-point link is the peer's); `nil` for
    /// families other than IPv4 and IPv6, or when both are missing.
    var address: IPAddress?

    /// Reads the address of an address message.
    /// - Throws: `NetlinkDecodeError` if the header or an attribute is cut short.
    init(decoding message: NetlinkMessage) throws(NetlinkDecodeError) {
        let context = "\(message.type)"
        let (family, rest) = try NetlinkBytes.read(message.payload) { (reader) throws(NetlinkDecodeError) in
            guard let family = reader.readUInt8(),
                reader.skip(IfAddr.headerLength - 1),  // prefixlen, flags, scope, index
                let rest = reader.readBytes(reader.remaining)
            else {
                throw NetlinkDecodeError(
                    field: "ifaddrmsg of \(context)",
                    reason: .truncated(needed: IfAddr.headerLength, available: message.payload.count))
            }
            return (family, Array(rest))
        }
        guard family == AddressFamily.ipv4 || family == AddressFamily.ipv6 else {
            address = nil
            return
        }
        let attributes = try NetlinkAttributes(parsing: rest, context: context)
        if let local = try attributes.address(IfAddr.local, family: family) {
            address = local
        } else {
            address = try attributes.address(IfAddr.address, family: family)
        }
    }

    /// The `ifaddrmsg` of a dump request for every address of `family`.
    static func dumpRequest(family: UInt8) -> [UInt8] {
        [family] + [UInt8](repeating: 0, count: IfAddr.headerLength - 1)
    }
}
