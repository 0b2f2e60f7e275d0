/// One route as the kernel lists it (`ip route show table all`): one FIB entry.
public struct Route: Hashable, Sendable, CustomStringConvertible {
    /// The route's type (`rtm_type`): what a lookup that ends on it does with the packet.
    public enum Kind: String, Hashable, Sendable {
        case unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit
        case `throw`, nat, other
    }

    public var kind: Kind
    /// `0.0.0.0/0` for the default route.
    public var destination: IPPrefix
    /// The routing table: 254 is main, 255 local, 253 default.
    public var table: UInt32
    /// `RTA_PRIORITY`: lower wins among routes for the same prefix.
    public var metric: UInt32
    /// The output interface's kernel name; `nil` for routes without one (blackhole, multipath).
    public var interface: String?
    public var gateway: IPAddress?
    /// `src` of `ip route`: the source address a socket that did not bind one gets.
    public var preferredSource: IPAddress?
    /// `RTNH_F_LINKDOWN`: the interface has no carrier, yet the route stays in the table (and is
    /// still chosen unless `ignore_routes_with_linkdown` is set on the interface).
    public var isLinkDown: Bool

    public init(
        kind: Kind = .unicast, destination: IPPrefix, table: UInt32 = Route.mainTable, metric: UInt32 = 0,
        interface: String? = nil, gateway: IPAddress? = nil, preferredSource: IPAddress? = nil, isLinkDown: Bool = false
    ) {
        self.kind = kind
        self.destination = destination
        self.table = table
        self.metric = metric
        self.interface = interface
        self.gateway = gateway
        self.preferredSource = preferredSource
        self.isLinkDown = isLinkDown
    }

    public static let mainTable: UInt32 = 254
    public static let localTable: UInt32 = 255
    public static let defaultTable: UInt32 = 253

    /// `main`, `local`, `default` or the number, as `ip route` names tables.
    public static func tableName(_ table: UInt32) -> String {
        switch table {
        case mainTable: "main"
        case localTable: "local"
        case defaultTable: "default"
        default: String(table)
        }
    }

    /// As `ip route` prints it: `10.99.0.0/24 dev eth1 table main metric 0 linkdown`.
    public var description: String {
        var words: [String] = []
        if kind != .unicast { words.append(kind.rawValue) }
        words.append(destination.length == 0 ? "default" : destination.description)
        if let gateway { words += ["via", gateway.description] }
        if let interface { words += ["dev", interface] }
        words += ["table", Route.tableName(table), "metric", String(metric)]
        if let preferredSource { words += ["src", preferredSource.description] }
        if isLinkDown { words.append("linkdown") }
        return words.joined(separator: " ")
    }
}
