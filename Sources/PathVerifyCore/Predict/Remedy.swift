/// One way to fix a predicted fault: what to do, and the exact commands where there are some.
/// pathverify prints them; it never runs them.
public struct Remedy: Sendable, Codable, Equatable {
    public var what: String
    public var commands: [String]

    public init(_ what: String, commands: [String] = []) {
        self.what = what
        self.commands = commands
    }
}

/// Writes the remedies for a host, in the order an operator would try them: a dedicated
/// network, source policy routing, the ARP settings, and, as the last resort, pinning the
/// service to the interface whose route wins.
struct RemedyWriter {
    let host: [HostInterface]
    let routes: [Route]
    let rules: [RoutingRule]
    let conf: IPv4Conf

    func dedicatedNetwork(_ address: IPAddress, owner: String) -> Remedy {
        Remedy(
            "a dedicated network: move \(owner)'s service (\(address)) to a subnet of its own, on an isolated VLAN or "
                + "segment with one interface per host, so that no other interface of this host has a route into it")
    }

    /// `ip rule` and `ip route` lines that send traffic from `source` out of `owner`: one table
    /// and one rule per address (reference §1.6). An existing `from SOURCE lookup T` rule keeps
    /// its table; otherwise the table and priority are 100 and 1000 plus the ifindex, moved on
    /// past any in use.
    func policyRouting(_ source: IPAddress, owner: String, toward route: Route?) -> Remedy {
        let ip = source.isIPv6 ? "ip -6" : "ip"
        let family = rules.filter { $0.isIPv6 == source.isIPv6 }
        let existing = family.first { $0.source == IPPrefix(address: source, length: source.bitWidth) && $0.table.map(Self.isOwnTable) == true }
        let ifindex = UInt32(clamping: host.first { $0.name == owner }?.ifindex ?? 0)
        let usedTables = Set(routes.map(\.table) + rules.compactMap(\.table))
        var table = existing?.table ?? 100 + ifindex
        while existing == nil && usedTables.contains(table) { table += 1 }
        var commands: [String] = []
        let subnet = host.first { $0.name == owner }?.addresses.first { $0.address == source }?.network
        if let subnet {
            commands.append("\(ip) route add \(subnet) dev \(owner) src \(source) table \(table)")
        }
        var what = "source policy routing, so that traffic from \(source) leaves by \(owner) whatever the main table says"
        if let route, let subnet, !subnet.contains(route.destination.address) || route.destination.length < subnet.length {
            if let gateway = route.gateway, subnet.contains(gateway) {
                commands.append("\(ip) route add \(route.destination.length == 0 ? "default" : route.destination.description) via \(gateway) dev \(owner) table \(table)")
            } else {
                what += " (add the route to \(route.destination) through a gateway on \(subnet) to table \(table) too)"
            }
        }
        if existing == nil {
            let usedPriorities = Set(family.map(\.priority))
            var priority = 1000 + ifindex
            while usedPriorities.contains(priority) { priority += 1 }
            commands.append("\(ip) rule add from \(source) lookup \(table) priority \(priority)")
        } else {
            what += "; the rule \"\(existing!.description)\" is there, its table lacks the route"
        }
        return Remedy(what, commands: commands)
    }

    /// The settings that make each address of `interfaces` answered for and announced only by
    /// its own interface: arp_ignore=1 and arp_announce=2 on `all` (the kernel takes the larger
    /// of `all` and the interface's value), and an interface's own value where it is higher
    /// than what is wanted; strict rp_filter and arp_filter follow the routes, so they need the
    /// policy routing, or to be relaxed.
    func arpSettings(_ interfaces: [String]) -> Remedy {
        var commands: [String] = []
        var keys: [String] = []
        if !(1...2).contains(conf.all.arpIgnore) { keys.append("net.ipv4.conf.all.arp_ignore=1") }
        if conf.all.arpAnnounce != 2 { keys.append("net.ipv4.conf.all.arp_announce=2") }
        for name in interfaces {
            let own = conf.interfaces[name] ?? conf.defaults
            if own.arpIgnore > 2 { keys.append("net.ipv4.conf.\(name).arp_ignore=1") }
        }
        if !keys.isEmpty { commands.append("sysctl -w " + keys.joined(separator: " ")) }
        var what = "the ARP settings: each interface answers only for its own addresses (arp_ignore=1) and asks with "
            + "its own address (arp_announce=2); keep them in /etc/sysctl.d/ so they survive a reboot"
        let strict = interfaces.filter { conf.effective($0).rpFilter == 1 }
        if !strict.isEmpty {
            let loose = (conf.all.rpFilter == 1 ? ["all"] : []) + strict.filter { (conf.interfaces[$0] ?? conf.defaults).rpFilter == 1 }
            commands.append("sysctl -w " + loose.map { "net.ipv4.conf.\($0).rp_filter=2" }.joined(separator: " "))
            what += "; strict rp_filter on \(strict.joined(separator: ", ")) answers by the route back, so it needs "
                + "the policy routing, or loose mode (rp_filter=2)"
        }
        let filtering = interfaces.filter { conf.effective($0).arpFilter != 0 }
        if !filtering.isEmpty {
            what += "; arp_filter on \(filtering.joined(separator: ", ")) answers by the route back, so it needs the policy routing"
        }
        return Remedy(what, commands: commands)
    }

    /// The seed's fallback: give up the second interface for the service and use the one the kernel picks.
    func pin(to interface: String, subnet: IPPrefix) -> Remedy {
        let address = host.first { $0.name == interface }?.addresses.first { subnet.contains($0.address) }?.address
        return Remedy(
            "the fallback: pin the service to \(interface)\(address.map { " (\($0))" } ?? ""), the interface the kernel "
                + "picks for \(subnet): it then leaves and arrives where the kernel sends it, at the cost of the separate interface")
    }

    func linkdown(_ interface: String, isIPv6: Bool) -> [Remedy] {
        [
            Remedy("restore \(interface)'s carrier, or set it down so that its routes are withdrawn", commands: ["ip link set \(interface) down"]),
            Remedy(
                "make lookups skip routes whose link is down",
                commands: ["sysctl -w net.\(isIPv6 ? "ipv6" : "ipv4").conf.\(interface).ignore_routes_with_linkdown=1"]),
        ]
    }

    /// Tables of the operator's own: not main, local, default or unspecified.
    static func isOwnTable(_ table: UInt32) -> Bool {
        table != 0 && table != Route.mainTable && table != Route.localTable && table != Route.defaultTable
    }
}
