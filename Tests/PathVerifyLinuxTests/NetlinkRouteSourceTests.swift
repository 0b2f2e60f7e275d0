import Foundation
import Glibc
import PathVerifyCore
import Testing

@testable import PathVerifyLinux

/// `NetlinkRouteSource` and `RouteChangeMonitor` against a real kernel, in a namespace made for
/// each test (`NetlinkLab`), compared with what `ip -j` prints for the same namespace. Needs root
/// and network namespaces; cancelled (reported as skipped) without them.
@Suite struct NetlinkRouteSourceTests {
    static func makeLab(tag: Int) throws -> NetlinkLab {
        do {
            return try NetlinkLab(tag: tag)
        } catch let error as NetlinkLab.Unavailable {
            try Test.cancel("rtnetlink tests need root and network namespaces: \(error)")
        }
    }

    @Test func routesRulesAndLookupsAgreeWithIP() throws {
        let lab = try Self.makeLab(tag: 1)
        defer { lab.remove() }

        // Interfaces coming up add IPv6 routes from a work queue: compare once both sides stop moving.
        let routes = try Self.settled(
            ours: { try lab.run { try NetlinkRouteSource().routes() } }, ip: { try Self.ipRoutes(lab) })
        #expect(routes.ours == routes.ip)
        #expect(routes.ours.contains { $0.description == "10.98.0.0/24 dev x2 table 102 metric 0 src 10.98.0.12" })
        #expect(routes.ours.contains { $0.description == "198.51.100.0/24 table main metric 0" })  // multipath
        #expect(routes.ours.contains { $0.description == "blackhole 198.51.101.0/24 table main metric 0" })

        let rules = try lab.run { try NetlinkRouteSource().rules() }
        let ipRules = try Self.ipRules(lab)
        #expect(rules == ipRules)
        #expect(rules.contains { $0.description == "1002: from 10.98.0.12 lookup 102" })
        #expect(rules.contains { $0.isIPv6 && $0.description == "1002: from fd98::12 lookup 102" })
        #expect(
            rules.contains {
                $0.description == "2001: from all to 198.18.1.0/24 tos 0x10 uidrange 1000-2000 ipproto tcp "
                    + "sport 1000-2000 dport 443 goto 2003"
            })

        let lookups: [(destination: String, source: String)] = [
            ("10.98.0.22", "10.98.0.11"), ("10.98.0.22", "10.98.0.12"), ("192.0.2.1", "10.98.0.11"),
            ("203.0.113.9", "10.98.0.11"), ("198.51.100.1", "10.98.0.11"), ("198.51.101.1", "10.98.0.11"),
            ("198.51.102.1", "10.98.0.11"), ("198.51.103.1", "10.98.0.11"), ("10.98.0.11", "10.98.0.11"),
            ("fd98::22", "fd98::11"), ("fd98::22", "fd98::12"), ("2001:db8:1::5", "fd98::11"),
            ("2001:db8:ffff::1", "fd98::11"),
        ]
        let pairs = try lookups.map { (try #require(IPAddress($0.destination)), try #require(IPAddress($0.source))) }
        let ours = try lab.run { () throws -> [Route?] in
            let source = try NetlinkRouteSource()
            return try pairs.map { try source.lookup(destination: $0.0, source: $0.1) }
        }
        for (index, lookup) in lookups.enumerated() {
            let ip = try Self.ipLookup(lab, lookup.destination, from: lookup.source)
            #expect(ours[index] == ip, "route get \(lookup.destination) from \(lookup.source) fibmatch")
        }
        #expect(ours[0]?.description == "10.98.0.0/24 dev x1 table main metric 0 src 10.98.0.11")
        #expect(ours[1]?.description == "10.98.0.0/24 dev x2 table 102 metric 0 src 10.98.0.12")
        #expect(ours[2] == nil)
        #expect(ours[3]?.description == "203.0.113.0/24 via 10.98.0.1 dev x1 table main metric 50")
        #expect(ours[4]?.interface == nil)  // multipath: no single interface
        #expect(ours[5] == nil && ours[6] == nil && ours[7] == nil)  // blackhole, unreachable, prohibit
        #expect(ours[8]?.kind == .local && ours[8]?.table == Route.localTable)
        #expect(ours[10]?.description == "fd98::/64 dev x2 table 102 metric 1024 src fd98::12")

        // The kernel refuses a source that is not local (IPv4 checks it before any route).
        let peer = try #require(IPAddress("10.98.0.22"))
        let x1 = try #require(IPAddress("10.98.0.11"))
        let badSources = [try #require(IPAddress("10.98.0.99")), try #require(IPAddress("fd98::11"))]
        let refusals = try lab.run { () -> [String] in
            let source = try NetlinkRouteSource()
            var errors: [String] = []
            for badSource in badSources {
                do {
                    _ = try source.lookup(destination: peer, source: badSource)
                    errors.append("none")
                } catch {
                    errors.append("\(error)")
                }
            }
            return errors
        }
        #expect(
            refusals == [
                "route lookup to 10.98.0.22 from 10.98.0.99: 10.98.0.99 is not an address of any interface here "
                    + "(the kernel answered error \(ENETUNREACH), Network is unreachable)",
                "route lookup to 10.98.0.22 from fd98::11: the addresses are of different families",
            ])

        // y1 down takes x1's carrier: x1's routes stay, marked linkdown, and are still chosen.
        try lab.ip(["link", "set", "y1", "down"])
        let down = try Self.settled(
            ours: { try lab.run { try NetlinkRouteSource().routes() } }, ip: { try Self.ipRoutes(lab) },
            until: { $0.contains { $0.isLinkDown } })
        #expect(down.ours == down.ip)
        #expect(
            down.ours.contains { $0.description == "10.98.0.0/24 dev x1 table main metric 0 src 10.98.0.11 linkdown" })
        #expect(down.ours.contains { $0.description == "fd98::/64 dev x1 table main metric 256 linkdown" })
        let linkDown = try lab.run {
            try NetlinkRouteSource().lookup(destination: peer, source: x1)
        }
        #expect(linkDown == (try Self.ipLookup(lab, "10.98.0.22", from: "10.98.0.11")))
        #expect(linkDown?.isLinkDown == true && linkDown?.interface == "x1")
    }

    @Test func theMonitorWakesOnAnAddressChangeAndOnlyThen() throws {
        let lab = try Self.makeLab(tag: 2)
        defer { lab.remove() }
        _ = try Self.settled(
            ours: { try lab.run { try NetlinkRouteSource().routes() } }, ip: { try Self.ipRoutes(lab) })
        let namespace = lab.namespace
        let (quiet, changed) = try lab.run { () throws -> (Bool, Bool) in
            let monitor = try RouteChangeMonitor()
            _ = monitor.drain()  // whatever the lab was still announcing
            let quiet = monitor.drain()
            try NetlinkLab.ip(namespace: namespace, ["address", "add", "10.98.5.1/24", "dev", "x1"])
            var ready = pollfd(fd: monitor.fileDescriptor, events: Int16(POLLIN), revents: 0)
            _ = poll(&ready, 1, 2000)
            return (quiet, monitor.drain())
        }
        #expect(!quiet)
        #expect(changed)
    }

    // MARK: - What ip prints, as the model's values

    /// Repeats `ours` and `ip` until two readings of `ip` around one of `ours` are equal and
    /// `until` holds for it, or 5 s pass; returns the last readings.
    static func settled(
        ours: () throws -> [Route], ip: () throws -> [Route], until condition: ([Route]) -> Bool = { _ in true }
    ) throws -> (ours: [Route], ip: [Route]) {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while true {
            let before = try ip()
            let mine = try ours()
            let after = try ip()
            if (before == after && mine == after && condition(mine)) || clock.now >= deadline { return (mine, after) }
            usleep(50_000)
        }
    }

    static func ipRoutes(_ lab: NetlinkLab) throws -> [Route] {
        let ipv4 = try #require(try lab.json(["-4", "route", "show", "table", "all"]))
        let ipv6 = try #require(try lab.json(["-6", "route", "show", "table", "all"]))
        return try ipv4.map { try route($0, isIPv6: false) } + ipv6.map { try route($0, isIPv6: true) }
    }

    static func ipLookup(_ lab: NetlinkLab, _ destination: String, from source: String) throws -> Route? {
        guard let answer = try lab.json(["route", "get", destination, "from", source, "fibmatch"]) else { return nil }
        return try route(try #require(answer.first), isIPv6: destination.contains(":"))
    }

    static func ipRules(_ lab: NetlinkLab) throws -> [RoutingRule] {
        let ipv4 = try #require(try lab.json(["-4", "rule", "show"]))
        let ipv6 = try #require(try lab.json(["-6", "rule", "show"]))
        return try ipv4.map { try rule($0, isIPv6: false) } + ipv6.map { try rule($0, isIPv6: true) }
    }

    /// One route of `ip -j route show` or `ip -j route get … fibmatch`.
    static func route(_ object: [String: Any], isIPv6: Bool) throws -> Route {
        let text = try #require(object["dst"] as? String)
        let unspecified = isIPv6 ? IPAddress(ipv6High: 0, low: 0) : IPAddress(ipv4: 0)
        let destination = try #require(text == "default" ? IPPrefix(address: unspecified, length: 0) : IPPrefix(text))
        let flags = object["flags"] as? [String] ?? []
        let nexthops = object["nexthops"] as? [[String: Any]] ?? []
        var route = Route(
            kind: try #require(Route.Kind(rawValue: object["type"] as? String ?? "unicast")),
            destination: destination, table: try table(object["table"] as? String ?? "main"),
            metric: UInt32(object["metric"] as? Int ?? 0), interface: object["dev"] as? String,
            gateway: (object["gateway"] as? String).flatMap(IPAddress.init),
            preferredSource: (object["prefsrc"] as? String).flatMap(IPAddress.init),
            isLinkDown: flags.contains("linkdown"))
        if nexthops.count == 1, let only = nexthops.first {
            route.interface = only["dev"] as? String
            route.gateway = (only["gateway"] as? String).flatMap(IPAddress.init)
        }
        if !nexthops.isEmpty, nexthops.allSatisfy({ ($0["flags"] as? [String] ?? []).contains("linkdown") }) {
            route.isLinkDown = true
        }
        return route
    }

    /// One rule of `ip -j rule show`, its selectors in the adapter's order.
    static func rule(_ object: [String: Any], isIPv6: Bool) throws -> RoutingRule {
        func prefix(_ key: String) throws -> IPPrefix? {
            guard let text = object[key] as? String, text != "all" else { return nil }
            let address = try #require(IPAddress(text))
            return IPPrefix(address: address, length: object[key + "len"] as? Int ?? address.bitWidth)
        }
        let action: RoutingRule.Action
        if let table = object["table"] as? String {
            action = .lookup(try Self.table(table))
        } else if let target = object["goto"] as? Int {
            action = .goto(UInt32(target))
        } else if object.keys.contains("nop") {
            action = .nop
        } else {
            switch object["action"] as? String {
            case "blackhole": action = .blackhole
            case "unreachable": action = .unreachable
            case "prohibit": action = .prohibit
            default: action = object.keys.contains("l3mdev") ? .lookup(0) : .other(0)
            }
        }
        var words: [String] = []
        if let tos = object["tos"] as? String { words.append("tos \(tos)") }
        if let mask = object["fwmask"] as? String { words.append("fwmask \(mask)") }
        if object.keys.contains("l3mdev") { words.append("l3mdev") }
        if let start = object["uid_start"] as? Int, let end = object["uid_end"] as? Int {
            words.append("uidrange \(start)-\(end)")
        }
        if let ipProtocol = object["ipproto"] as? String {
            // Without /etc/protocols ip prints the number.
            words.append("ipproto " + (["6": "tcp", "17": "udp"][ipProtocol] ?? ipProtocol))
        }
        for port in ["sport", "dport"] {
            if let single = object[port] as? Int { words.append("\(port) \(single)") }
            if let start = object[port + "_start"] as? Int, let end = object[port + "_end"] as? Int {
                words.append("\(port) \(start)-\(end)")
            }
        }
        if let tunnel = object["tun_id"] as? Int { words.append("tun_id \(tunnel)") }
        if let group = object["suppress_ifgroup"] as? String { words.append("suppress_ifgroup \(group)") }
        return RoutingRule(
            isIPv6: isIPv6, priority: UInt32(try #require(object["priority"] as? Int)), source: try prefix("src"),
            destination: try prefix("dst"), inputInterface: object["iif"] as? String,
            outputInterface: object["oif"] as? String,
            fwmark: (object["fwmark"] as? String).flatMap { UInt32($0.dropFirst(2), radix: 16) },
            isInverted: object.keys.contains("not"), action: action,
            suppressPrefixLength: object["suppress_prefixlen"] as? Int, otherSelectors: words)
    }

    /// `main`, `local`, `default` or a number, as ip names tables.
    static func table(_ name: String) throws -> UInt32 {
        switch name {
        case "main": Route.mainTable
        case "local": Route.localTable
        case "default": Route.defaultTable
        default: try #require(UInt32(name))
        }
    }
}
