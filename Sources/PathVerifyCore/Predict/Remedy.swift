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
///
/// Policy routing gets one table per interface and one rule per address (reference §1.6),
/// chosen once for the whole check, so that no two remedies collide and none collides with a
/// table or priority in use: an address that already has a `from ADDRESS lookup T` rule keeps
/// it; otherwise tables count up from 101 and priorities from 1001, in ifindex order, well
/// before the main table's rule (32766).
struct RemedyWriter {
    let host: [HostInterface]
    let routes: [Route]
    let conf: IPv4Conf
    /// Each interface's table, and each address's rule: the host's own where it has one.
    private(set) var tables: [String: UInt32] = [:]
    private(set) var rules: [IPAddress: RoutingRule] = [:]
    /// The addresses whose rule the host already has.
    private(set) var ruled: Set<IPAddress> = []

    init(host: [HostInterface], routes: [Route], rules existing: [RoutingRule], conf: IPv4Conf) {
        self.host = host
        self.routes = routes
        self.conf = conf
        var usedTables = Set(routes.map(\.table) + existing.compactMap(\.table) + [0, Route.defaultTable, Route.mainTable, Route.localTable])
        var usedPriorities: [Bool: Set<UInt32>] = [false: [], true: []]
        for rule in existing { usedPriorities[rule.isIPv6, default: []].insert(rule.priority) }
        for rule in existing {
            guard let source = rule.source, source.length == source.address.bitWidth, let table = rule.table,
                Self.isOwnTable(table), rules[source.address] == nil
            else { continue }
            rules[source.address] = rule
            ruled.insert(source.address)
            if let owner = host.first(where: { $0.addresses.contains { $0.address == source.address } }), tables[owner.name] == nil {
                tables[owner.name] = table
            }
        }
        var table: UInt32 = 101
        var priority: [Bool: UInt32] = [false: 1001, true: 1001]
        for interface in host where !interface.isLoopback {
            let addresses = interface.addresses.map(\.address).filter { !HostInterface.ipv6LinkLocal.contains($0) }
            guard !addresses.isEmpty else { continue }
            if tables[interface.name] == nil {
                while usedTables.contains(table) { table += 1 }
                tables[interface.name] = table
                usedTables.insert(table)
            }
            for address in addresses where rules[address] == nil {
                let family = address.isIPv6
                var next = priority[family] ?? 1001
                while usedPriorities[family]?.contains(next) == true { next += 1 }
                usedPriorities[family, default: []].insert(next)
                priority[family] = next + 1
                rules[address] = RoutingRule(
                    isIPv6: family, priority: next, source: IPPrefix(address: address, length: address.bitWidth),
                    action: .lookup(tables[interface.name] ?? table))
            }
        }
    }

    func dedicatedNetwork(_ address: IPAddress, owner: String) -> Remedy {
        Remedy(
            "a dedicated network: move \(owner)'s service (\(address)) to a subnet of its own, on an isolated VLAN or "
                + "segment with one interface per host, so that no other interface of this host has a route into it")
    }

    /// `ip route` and `ip rule` lines that send traffic from each of `members` (address and its
    /// interface) out of its own interface, leaving out what is already there. Every address of
    /// a shared subnet gets its rule, not only the one that is wrong today: the route order
    /// that makes the other one right can change (an interface set down and up).
    /// - Parameter toward: the route the kernel picks now, for a destination off the subnet.
    func policyRouting(_ members: [SharedSubnet.Member], toward route: Route?) -> Remedy {
        var commands: [String] = []
        var notes: [String] = []
        for member in members {
            let ip = member.address.isIPv6 ? "ip -6" : "ip"
            guard let rule = rules[member.address], let table = rule.table,
                let subnet = host.first(where: { $0.name == member.interface })?.addresses.first(where: { $0.address == member.address })?.network
            else { continue }
            let has = { (prefix: IPPrefix) in
                routes.contains { $0.table == table && $0.destination == prefix && $0.interface == member.interface }
            }
            if !has(subnet) {
                commands.append("\(ip) route add \(subnet) dev \(member.interface) src \(member.address) table \(table)")
            }
            if let route, route.destination.length < subnet.length || !subnet.contains(route.destination.address), !has(route.destination) {
                let prefix = route.destination.length == 0 ? "default" : route.destination.description
                if let gateway = route.gateway, subnet.contains(gateway) {
                    commands.append("\(ip) route add \(prefix) via \(gateway) dev \(member.interface) table \(table)")
                } else {
                    notes.append("add a route to \(prefix) through a gateway on \(subnet) to table \(table)")
                }
            }
            if !ruled.contains(member.address) {
                commands.append("\(ip) rule add from \(member.address) lookup \(table) priority \(rule.priority)")
            }
        }
        let addresses = members.map { "\($0.address) by \($0.interface)" }.joined(separator: ", ")
        return Remedy(
            "source policy routing, so that traffic from each address leaves by its own interface whatever the main "
                + "table says (\(addresses))" + notes.map { "; \($0)" }.joined(),
            commands: commands)
    }

    /// The settings that make each address of `interfaces` answered for and announced only by
    /// its own interface: arp_ignore=1 and arp_announce=2 on each interface (the kernel takes
    /// the larger of `all` and the interface's value, so `all` need not change, unless it is
    /// higher); strict rp_filter and arp_filter answer by the route back, so they are relaxed
    /// here, or kept with the policy routing.
    func arpSettings(_ interfaces: [String]) -> Remedy {
        var keys: [String] = []
        if conf.all.arpIgnore > 2 { keys.append(Self.key("all", "arp_ignore") + "=1") }
        for name in interfaces {
            let settings = conf.effective(name)
            if !(1...2).contains(settings.arpIgnore) { keys.append(Self.key(name, "arp_ignore") + "=1") }
            if settings.arpAnnounce < 2 { keys.append(Self.key(name, "arp_announce") + "=2") }
        }
        var what = "the ARP settings: each interface answers only for its own addresses (arp_ignore=1) and asks with "
            + "its own address (arp_announce=2); keep them in /etc/sysctl.d/ so they survive a reboot"
        let strict = interfaces.filter { conf.effective($0).rpFilter == 1 }
        if !strict.isEmpty {
            // The larger value counts, so loose (2) on the interface wins over strict (1) on all.
            keys += strict.map { Self.key($0, "rp_filter") + "=2" }
            what += "; strict rp_filter on \(strict.joined(separator: ", ")) answers by the route back: loose mode "
                + "here, or keep it strict with the policy routing"
        }
        let filtering = interfaces.filter { conf.effective($0).arpFilter != 0 }
        if !filtering.isEmpty {
            if conf.all.arpFilter != 0 { keys.append(Self.key("all", "arp_filter") + "=0") }
            keys += filtering.filter { (conf.interfaces[$0] ?? conf.defaults).arpFilter != 0 }.map { Self.key($0, "arp_filter") + "=0" }
            what += "; arp_filter on \(filtering.joined(separator: ", ")) answers by the route back: off here, or "
                + "keep it with the policy routing"
        }
        return Remedy(what, commands: keys.isEmpty ? [] : ["sysctl -w " + keys.joined(separator: " ")])
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
                commands: ["sysctl -w " + Self.key(interface, "ignore_routes_with_linkdown", family: isIPv6 ? "ipv6" : "ipv4") + "=1"]),
        ]
    }

    /// `net.ipv4.conf.NAME.KEY`; a dot in the name (a VLAN: `eth0.100`) is written `/`, as sysctl(8) takes it.
    static func key(_ scope: String, _ name: String, family: String = "ipv4") -> String {
        "net.\(family).conf.\(scope.replacing(".", with: "/")).\(name)"
    }

    /// Tables of the operator's own: not main, local, default or unspecified.
    static func isOwnTable(_ table: UInt32) -> Bool {
        table != 0 && table != Route.mainTable && table != Route.localTable && table != Route.defaultTable
    }
}
