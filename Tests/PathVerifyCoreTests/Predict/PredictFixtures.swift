import PathVerifyCore

/// The host of the reference's experiment (§1.9) as values: eth1 10.99.0.11/24 (ifindex 2) and
/// eth2 10.99.0.12/24 (ifindex 3), with the connected routes the kernel adds, and a kernel whose
/// answers the test gives.
struct FakeKernel: RouteSource {
    var routeList: [Route]
    var ruleList: [RoutingRule] = FakeKernel.defaultRules
    /// The kernel's answer for (destination, source).
    var answer: (IPAddress, IPAddress) -> Route?
    private(set) var asked: [(IPAddress, IPAddress)] = []

    func routes() throws -> [Route] { routeList }
    func rules() throws -> [RoutingRule] { ruleList }
    func lookup(destination: IPAddress, source: IPAddress) throws -> Route? { answer(destination, source) }

    static let defaultRules = [
        RoutingRule(priority: 0, action: .lookup(Route.localTable)),
        RoutingRule(priority: 32766, action: .lookup(Route.mainTable)),
        RoutingRule(priority: 32767, action: .lookup(Route.defaultTable)),
    ]
}

enum Lab {
    static let subnet = IPPrefix("10.99.0.0/24")!
    static let a11 = IPAddress("10.99.0.11")!
    static let a12 = IPAddress("10.99.0.12")!
    static let peer = IPAddress("10.99.0.1")!

    static let host = [
        HostInterface(name: "lo", ifindex: 1, addresses: [IPPrefix("127.0.0.1/8")!], isUp: true, isLoopback: true),
        HostInterface(name: "eth1", ifindex: 2, addresses: [IPPrefix("10.99.0.11/24")!], operationalState: .up, isUp: true),
        HostInterface(name: "eth2", ifindex: 3, addresses: [IPPrefix("10.99.0.12/24")!], operationalState: .up, isUp: true),
    ]

    static func connected(_ interface: String, _ source: IPAddress, table: UInt32 = Route.mainTable, linkDown: Bool = false) -> Route {
        Route(destination: subnet, table: table, interface: interface, preferredSource: source, isLinkDown: linkDown)
    }

    /// The main table after `ip addr add` on eth1 then eth2: eth1's route first.
    static let mainRoutes = [connected("eth1", a11), connected("eth2", a12)]

    /// No policy routing: every lookup takes the main table's first route.
    static var misrouted: FakeKernel {
        FakeKernel(routeList: mainRoutes) { destination, _ in subnet.contains(destination) ? mainRoutes[0] : nil }
    }

    /// Policy routing as reference §1.6 has it (tables 101 and 102, rules 1001 and 1002).
    static var policyRouted: FakeKernel {
        let own = [connected("eth1", a11, table: 101), connected("eth2", a12, table: 102)]
        var rules = FakeKernel.defaultRules
        rules.insert(RoutingRule(priority: 1001, source: IPPrefix(address: a11, length: 32), action: .lookup(101)), at: 1)
        rules.insert(RoutingRule(priority: 1002, source: IPPrefix(address: a12, length: 32), action: .lookup(102)), at: 2)
        return FakeKernel(routeList: mainRoutes + own, ruleList: rules) { destination, source in
            guard subnet.contains(destination) else { return nil }
            return source == a12 ? own[1] : source == a11 ? own[0] : mainRoutes[0]
        }
    }

    static let arpFixed = IPv4Conf(
        all: IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2),
        interfaces: ["eth1": IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2), "eth2": IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2)])
    static let kernelDefaults = IPv4Conf(interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])

    static func check(_ kernel: FakeKernel, _ conf: IPv4Conf, config: Config = Config()) throws -> CheckReport {
        try PathCheck.run(config: config, host: host, conf: conf, kernel: kernel, at: Timestamp(nanoseconds: 0))
    }
}
