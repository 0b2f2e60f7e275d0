import PathVerifyCore

/// A route message (`RTM_NEWROUTE`): `struct rtmsg` (linux/rtnetlink.h) and its attributes.
/// One FIB entry of a dump, or the entry a `RTM_F_FIB_MATCH` lookup matched.
struct RouteMessage: Sendable {
    /// `struct rtmsg`: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32.
    static let headerLength = 12

    var family: UInt8
    var destinationLength: UInt8
    /// `rtm_table`: the table when it fits a byte; `RTA_TABLE` carries all of it.
    var table: UInt8
    /// `rtm_type`: `RTN_*`.
    var type: UInt8
    /// `RTM_F_*`, and for a route with one nexthop its `RTNH_F_*` flags.
    var flags: UInt32
    var attributes: NetlinkAttributes

    /// Reads the header and attributes of a route message.
    /// - Throws: `NetlinkDecodeError` if the header or an attribute is cut short.
    init(decoding message: NetlinkMessage) throws(NetlinkDecodeError) {
        let context = "\(message.type)"
        self = try NetlinkBytes.read(message.payload) { (reader) throws(NetlinkDecodeError) in
            let order = NetlinkBytes.hostOrder
            guard let family = reader.readUInt8(), let destinationLength = reader.readUInt8(),
                reader.skip(2),  // rtm_src_len, rtm_tos
                let table = reader.readUInt8(), reader.skip(2),  // rtm_protocol, rtm_scope
                let type = reader.readUInt8(), let flags = reader.readUInt32(order),
                let rest = reader.readBytes(reader.remaining)
            else {
                throw NetlinkDecodeError(
                    field: "rtmsg of \(context)",
                    reason: .truncated(needed: Self.headerLength, available: message.payload.count))
            }
            return RouteMessage(
                family: family, destinationLength: destinationLength, table: table, type: type, flags: flags,
                attributes: try NetlinkAttributes(parsing: Array(rest), context: context))
        }
    }

    private init(
        family: UInt8, destinationLength: UInt8, table: UInt8, type: UInt8, flags: UInt32,
        attributes: NetlinkAttributes
    ) {
        self.family = family
        self.destinationLength = destinationLength
        self.table = table
        self.type = type
        self.flags = flags
        self.attributes = attributes
    }

    /// A cached route (a PMTU or redirect exception) rather than a FIB entry; `ip route show` hides these.
    var isCloned: Bool { flags & RTNetlink.routeFlagCloned != 0 }

    /// The route this message describes; `nil` for families other than IPv4 and IPv6.
    ///
    /// A multipath route (`RTA_MULTIPATH`, also how a nexthop group shows when the kernel's
    /// `nexthop_compat_mode` is on) gets its nexthop's interface and gateway when it has exactly
    /// one, else none; it is link-down when every nexthop is. A route using a nexthop object
    /// (`RTA_NH_ID`) with no `RTA_OIF` or `RTA_MULTIPATH` beside it has no interface.
    /// - Parameter interfaceNames: names by ifindex; an index without a name becomes `if7`, as `ip` prints it.
    /// - Throws: `NetlinkDecodeError` if an attribute is short or a length does not fit the family.
    func route(interfaceNames: [UInt32: String]) throws(NetlinkDecodeError) -> Route? {
        guard family == AddressFamily.ipv4 || family == AddressFamily.ipv6 else { return nil }
        let unspecified = family == AddressFamily.ipv6 ? IPAddress(ipv6High: 0, low: 0) : IPAddress(ipv4: 0)
        guard Int(destinationLength) <= unspecified.bitWidth else {
            throw NetlinkDecodeError(
                field: "rtm_dst_len of \(attributes.context)",
                reason: .invalid("\(destinationLength) bits, longer than the address"))
        }
        let destination = try attributes.address(RTNetlink.destination, family: family) ?? unspecified
        var route = Route(
            kind: RTNetlink.routeKinds[type] ?? .other,
            destination: IPPrefix(address: destination, length: Int(destinationLength)),
            table: try attributes.uint32(RTNetlink.table) ?? UInt32(table),
            metric: try attributes.uint32(RTNetlink.priority) ?? 0,
            interface: try attributes.uint32(RTNetlink.outputInterface).map { Self.name(of: $0, in: interfaceNames) },
            gateway: try Self.gateway(in: attributes, family: family),
            preferredSource: try attributes.address(RTNetlink.preferredSource, family: family),
            isLinkDown: flags & RTNetlink.nexthopFlagLinkDown != 0)
        if let multipath = attributes.payload(RTNetlink.multipath) {
            let nexthops = try Self.nexthops(multipath, family: family, context: attributes.field(RTNetlink.multipath))
            if nexthops.count == 1, let only = nexthops.first {
                route.interface = Self.name(of: only.interfaceIndex, in: interfaceNames)
                route.gateway = only.gateway
            } else {
                route.interface = nil
                route.gateway = nil
            }
            if !nexthops.isEmpty, nexthops.allSatisfy(\.isLinkDown) { route.isLinkDown = true }
        }
        return route
    }

    /// The name of an interface, or `if7` (as `ip` prints an index it cannot name) when it vanished
    /// between the link dump and this message.
    static func name(of index: UInt32, in names: [UInt32: String]) -> String {
        names[index] ?? "if\(index)"
    }

    /// `RTA_GATEWAY`, or `RTA_VIA` (`struct rtvia`: family u16, address) for a gateway of the
    /// other family (an IPv4 route via an IPv6 neighbour).
    static func gateway(in attributes: NetlinkAttributes, family: UInt8) throws(NetlinkDecodeError) -> IPAddress? {
        if let gateway = try attributes.address(RTNetlink.gateway, family: family) { return gateway }
        guard let via = attributes.payload(RTNetlink.via) else { return nil }
        let field = attributes.field(RTNetlink.via)
        let (viaFamily, address) = try NetlinkBytes.read(via) { (reader) throws(NetlinkDecodeError) in
            guard let viaFamily = reader.readUInt16(NetlinkBytes.hostOrder),
                let rest = reader.readBytes(reader.remaining)
            else { throw NetlinkDecodeError(field: field, reason: .truncated(needed: 2, available: via.count)) }
            return (viaFamily, Array(rest))
        }
        return try NetlinkBytes.address(address, family: UInt8(truncatingIfNeeded: viaFamily), field: field)
    }

    /// The `rtmsg` of a dump request for every route of `family` in every table (`rtm_table`
    /// 0 is `RT_TABLE_UNSPEC`; without strict checking the kernel filters on nothing else).
    static func dumpRequest(family: UInt8) -> [UInt8] {
        [family] + [UInt8](repeating: 0, count: headerLength - 1)
    }

    /// The request of `ip route get DESTINATION from SOURCE fibmatch`: full-length `RTA_DST`
    /// and `RTA_SRC`, `RTM_F_FIB_MATCH` so the answer is the FIB entry, not a cached dst, and
    /// `RTM_F_LOOKUP_TABLE` so that it names the table the entry is in (as `ip` asks too).
    static func lookupRequest(destination: IPAddress, source: IPAddress) -> [UInt8] {
        let family = AddressFamily.of(destination)
        let length = UInt8(destination.bitWidth)
        var bytes: [UInt8] = [family, length, length, 0, 0, 0, 0, 0]
        bytes.appendHostOrder(RTNetlink.routeFlagFIBMatch | RTNetlink.routeFlagLookupTable)
        for (type, address) in [(RTNetlink.destination, destination), (RTNetlink.source, source)] {
            var payload: [UInt8] = []
            payload.appendAddress(address)
            bytes += NetlinkAttribute(type: type.rawValue, payload: payload).encoded()
        }
        return bytes
    }
}
