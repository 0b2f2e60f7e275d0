/// What the kernel will do with one kind of traffic: from a local address to a destination,
/// the interface it should leave by, and the route the kernel picks, with why it wins.
public struct PathPrediction: Sendable, Encodable, Equatable {
    public enum Verdict: String, Sendable, Encodable {
        /// The kernel picks the expected interface.
        case ok
        /// It picks another one.
        case mismatch
        /// It has no route at all.
        case unreachable
    }

    /// The intent asked about; `nil` for the sweep of shared subnets.
    public var intent: String?
    public var source: IPAddress
    public var destination: IPAddress
    public var expected: InterfaceRef
    /// The interface of the route the kernel picks; `nil` when it has none (or a route
    /// without one, such as a blackhole).
    public var actual: InterfaceRef?
    /// The chosen route (`nil` when there is none).
    public var route: Route?
    /// The rules the lookup went through, in order; the last one's table gave the route.
    public var rules: [RoutingRule]
    /// The routes for the same prefix in that table listed before the chosen one, which the
    /// lookup passed over (a link down with ignore_routes_with_linkdown set, say).
    public var skipped: [Route]
    /// Those listed after it, in the kernel's order: the ones it beat on metric or by being
    /// listed first.
    public var alternatives: [Route]
    public var verdict: Verdict

    /// Why the kernel picks this route, in one sentence:
    /// `rule 32766 "from all lookup main" picks table main, where 10.99.0.0/24 dev eth1 metric 0
    /// is listed before 10.99.0.0/24 dev eth2 metric 0 (at equal metric the first listed wins)`.
    public var why: String {
        guard let route else { return "the kernel has no route from \(source) to \(destination)" }
        var text = ""
        if let rule = rules.last {
            text = "rule \(rule.priority) \"\(rule.text)\" picks table \(Route.tableName(route.table)), where "
        } else {
            text = "in table \(Route.tableName(route.table)), "
        }
        text += "\(route.destination) dev \(route.interface ?? "-") metric \(route.metric)"
        let equal = alternatives.filter { $0.metric == route.metric }
        let worse = alternatives.filter { $0.metric > route.metric }
        if !equal.isEmpty {
            text += " is listed before "
                + equal.map { "dev \($0.interface ?? "-")" }.joined(separator: ", ")
                + " (at equal metric the first listed wins; the order is the order the routes were added)"
        } else if !worse.isEmpty {
            text += " has a lower metric than " + worse.map { "dev \($0.interface ?? "-") metric \($0.metric)" }.joined(separator: ", ")
        } else {
            text += " is the only route that matches"
        }
        if !skipped.isEmpty {
            text += "; listed before it, " + skipped.map { "dev \($0.interface ?? "-")" }.joined(separator: ", ")
                + (skipped.allSatisfy(\.isLinkDown) ? " is passed over: its link is down and ignore_routes_with_linkdown is set" : " is passed over")
        }
        if route.isLinkDown { text += "; its link is down, yet it is still chosen" }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case intent, source, destination, expected, actual, route, table, metric, linkdown, rules, skipped, alternatives, verdict
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(intent, forKey: .intent)
        try container.encode(source.description, forKey: .source)
        try container.encode(destination.description, forKey: .destination)
        try container.encode(expected, forKey: .expected)
        try container.encodeIfPresent(actual, forKey: .actual)
        try container.encodeIfPresent(route?.description, forKey: .route)
        try container.encodeIfPresent(route.map { Route.tableName($0.table) }, forKey: .table)
        try container.encodeIfPresent(route?.metric, forKey: .metric)
        try container.encode(route?.isLinkDown ?? false, forKey: .linkdown)
        try container.encode(rules.map(\.description), forKey: .rules)
        try container.encode(skipped.map(\.description), forKey: .skipped)
        try container.encode(alternatives.map(\.description), forKey: .alternatives)
        try container.encode(verdict, forKey: .verdict)
    }


    public init(
        intent: String?, source: IPAddress, destination: IPAddress, expected: InterfaceRef, actual: InterfaceRef?,
        route: Route?, rules: [RoutingRule], skipped: [Route] = [], alternatives: [Route], verdict: Verdict
    ) {
        self.intent = intent
        self.source = source
        self.destination = destination
        self.expected = expected
        self.actual = actual
        self.route = route
        self.rules = rules
        self.skipped = skipped
        self.alternatives = alternatives
        self.verdict = verdict
    }
}

/// Explains a route the kernel chose from the tables and rules it listed: which rules the
/// lookup went through and which routes the chosen one beat. The kernel's answer is taken as
/// it is; this only reconstructs why.
struct RouteExplainer {
    let routes: [Route]
    let rules: [RoutingRule]

    /// The rules of the source's family that apply to a locally sent packet from `source` to
    /// `destination`, in priority order, up to the one whose table holds `chosen`. The rule for
    /// the local table is left out unless it gave the route: every lookup starts there.
    func rules(from source: IPAddress, to destination: IPAddress, chosen: Route) -> [RoutingRule] {
        var walked: [RoutingRule] = []
        for rule in rules where rule.isIPv6 == source.isIPv6 && applies(rule, from: source, to: destination) {
            if rule.table == Route.localTable && chosen.table != Route.localTable { continue }
            walked.append(rule)
            if rule.table == chosen.table { return walked }
            switch rule.action {
            case .blackhole, .unreachable, .prohibit: return walked
            default: continue
            }
        }
        // The rule walk did not reach the table (a selector this model does not evaluate):
        // say nothing rather than something wrong.
        return []
    }

    /// Whether a rule's selector matches a packet the host sends itself: no input interface
    /// but `lo`, no output interface or mark given, as `ip route get D from S` asks.
    func applies(_ rule: RoutingRule, from source: IPAddress, to destination: IPAddress) -> Bool {
        var matches =
            (rule.source?.contains(source) ?? true) && (rule.destination?.contains(destination) ?? true)
            && (rule.inputInterface == nil || rule.inputInterface == "lo") && rule.outputInterface == nil
            && (rule.fwmark ?? 0) == 0
        if rule.isInverted { matches.toggle() }
        return matches
    }

    /// The other routes in the chosen route's table for the same prefix, in the kernel's
    /// order, split at the chosen one: those before it were passed over, those after it lost.
    func others(_ chosen: Route) -> (before: [Route], after: [Route]) {
        let same = routes.filter { $0.table == chosen.table && $0.destination == chosen.destination && $0.kind == chosen.kind }
        let isChosen = { (route: Route) in
            route.interface == chosen.interface && route.metric == chosen.metric && route.gateway == chosen.gateway
        }
        guard let index = same.firstIndex(where: isChosen) else { return ([], same) }
        return (Array(same[..<index]), same[(index + 1)...].filter { !isChosen($0) })
    }
}
