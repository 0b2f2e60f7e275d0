/// The IPv4 per-interface settings (`net.ipv4.conf.NAME.*`) that decide who answers ARP and
/// which routes count, as read from `all`, `default` and each interface.
public struct IPv4ConfValues: Hashable, Sendable, Codable {
    public var arpIgnore: Int
    public var arpAnnounce: Int
    public var arpFilter: Int
    public var rpFilter: Int
    public var ignoreRoutesWithLinkdown: Int

    public init(arpIgnore: Int = 0, arpAnnounce: Int = 0, arpFilter: Int = 0, rpFilter: Int = 0, ignoreRoutesWithLinkdown: Int = 0) {
        self.arpIgnore = arpIgnore
        self.arpAnnounce = arpAnnounce
        self.arpFilter = arpFilter
        self.rpFilter = rpFilter
        self.ignoreRoutesWithLinkdown = ignoreRoutesWithLinkdown
    }

    /// The sysctl names, as `/proc/sys/net/ipv4/conf/NAME/` holds them, with their values.
    public static var keys: [(name: String, path: WritableKeyPath<IPv4ConfValues, Int>)] { [
        ("arp_ignore", \.arpIgnore), ("arp_announce", \.arpAnnounce), ("arp_filter", \.arpFilter),
        ("rp_filter", \.rpFilter), ("ignore_routes_with_linkdown", \.ignoreRoutesWithLinkdown),
    ] }

    enum CodingKeys: String, CodingKey {
        case arpIgnore = "arp_ignore"
        case arpAnnounce = "arp_announce"
        case arpFilter = "arp_filter"
        case rpFilter = "rp_filter"
        case ignoreRoutesWithLinkdown = "ignore_routes_with_linkdown"
    }
}

/// The settings of `all`, `default` and each interface, and the value the kernel acts on.
///
/// The kernel combines `all` and the interface's own value per setting (include/linux/inetdevice.h):
/// `IN_DEV_MAXCONF` (the larger) for arp_ignore, arp_announce and rp_filter, `IN_DEV_ORCONF`
/// (either set) for arp_filter and ignore_routes_with_linkdown (ORCONF in current kernels; in older
/// ones the interface's value alone counted). `default` is never combined: it is what an
/// interface created later starts with.
public struct IPv4Conf: Hashable, Sendable {
    public var all: IPv4ConfValues
    public var defaults: IPv4ConfValues
    public var interfaces: [String: IPv4ConfValues]

    public init(all: IPv4ConfValues = .init(), defaults: IPv4ConfValues = .init(), interfaces: [String: IPv4ConfValues] = [:]) {
        self.all = all
        self.defaults = defaults
        self.interfaces = interfaces
    }

    /// What the kernel acts on for `interface`; an interface not read counts as the default's values.
    public func effective(_ interface: String) -> IPv4ConfValues {
        let own = interfaces[interface] ?? defaults
        return IPv4ConfValues(
            arpIgnore: max(all.arpIgnore, own.arpIgnore), arpAnnounce: max(all.arpAnnounce, own.arpAnnounce),
            arpFilter: all.arpFilter != 0 || own.arpFilter != 0 ? 1 : 0, rpFilter: max(all.rpFilter, own.rpFilter),
            ignoreRoutesWithLinkdown: all.ignoreRoutesWithLinkdown != 0 || own.ignoreRoutesWithLinkdown != 0 ? 1 : 0)
    }

    /// `arp_ignore=0 (all=0, vmk1=0)`: the effective value and where it comes from, for details.
    public func explain(_ name: String, _ path: KeyPath<IPv4ConfValues, Int>, on interface: String) -> String {
        let own = interfaces[interface] ?? defaults
        return "\(name)=\(effective(interface)[keyPath: path]) (all=\(all[keyPath: path]), \(interface)=\(own[keyPath: path]))"
    }
}

/// Reads the settings of `all`, `default` and the named interfaces.
public protocol IPv4ConfSource {
    func read(interfaces: [String]) throws -> IPv4Conf
}
