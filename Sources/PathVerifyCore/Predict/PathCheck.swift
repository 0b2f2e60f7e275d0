/// `pathverify check`: what the kernel will do before any traffic flows. For each intent, and
/// for each address in a subnet that two interfaces share, it asks the kernel's route lookup
/// which interface the traffic leaves by; from the ARP and reverse-path settings it works out
/// which interfaces answer ARP for each shared address. Pure: the kernel is asked through
/// `RouteSource`, and the settings and interfaces come in as values.
public enum PathCheck {
    public static func run(
        config: Config, host: [HostInterface], conf: IPv4Conf, kernel: some RouteSource, at time: Timestamp
    ) throws -> CheckReport {
        let routes = try kernel.routes()
        let rules = try kernel.rules()
        let subnets = SharedSubnet.find(in: host)
        var notes: [String] = []
        // The sweep is asked always (the ARP model needs each address's route back), but
        // reported only without intents: with them, the intents say what is expected.
        let sweep = PathQuery.sweep(subnets)
        var queries = config.intents.isEmpty ? sweep : []
        for intent in config.intents {
            switch PathQuery.of(intent, host: host) {
            case .success(let asked): queries += asked
            case .failure(let skip): notes.append(skip.note(intent.name))
            }
        }
        if queries.count > maximumQueries {
            notes.append("only the first \(maximumQueries) of \(queries.count) source and destination pairs were asked")
            queries.removeLast(queries.count - maximumQueries)
        }
        var context = Context(
            config: config, host: host, subnets: subnets, conf: conf, routes: routes, rules: rules, time: time)
        for query in sweep + queries where context.answers[query.pair] == nil {
            do {
                context.answers[query.pair] = .some(try kernel.lookup(destination: query.destination, source: query.source))
            } catch {
                // An address that went away during the check, say: the rest still stands.
                notes.append("the route from \(query.source) to \(query.destination) could not be asked: \(error)")
            }
        }
        for query in queries {
            if let answer = context.answers[query.pair] { context.predict(query, route: answer) }
        }
        for subnet in subnets where !subnet.prefix.address.isIPv6 { context.judgeARP(subnet) }
        if subnets.isEmpty && config.intents.isEmpty {
            notes.append("no two interfaces share a subnet and no intents are configured: there is nothing to predict")
        }
        notes += defaultNotes(conf: conf, subnets: subnets)
        return CheckReport(
            predictions: context.predictions, subnets: context.verdicts(subnets), interfaces: context.arpRows,
            sysctl: ["all": conf.all, "default": conf.defaults], findings: context.findings, notes: notes)
    }

    /// Bounds the questions put to the kernel: each is one netlink round trip.
    static let maximumQueries = 4096

    /// `default` is what an interface created later starts with: worth a word when the fix was
    /// made on each interface alone, so that a re-created one would undo it.
    static func defaultNotes(conf: IPv4Conf, subnets: [SharedSubnet]) -> [String] {
        let names = subnets.filter { !$0.prefix.address.isIPv6 }.flatMap(\.interfaces)
        guard !names.isEmpty, conf.all.arpIgnore == 0, conf.defaults.arpIgnore == 0,
            names.allSatisfy({ (1...2).contains(conf.effective($0).arpIgnore) })
        else { return [] }
        return ["net.ipv4.conf.default.arp_ignore is 0: an interface created later (re-created, or a new one) answers "
            + "ARP for every address until it is set"]
    }

    /// The work of one check, gathered as it goes.
    struct Context {
        let config: Config
        let host: [HostInterface]
        let subnets: [SharedSubnet]
        let conf: IPv4Conf
        let explainer: RouteExplainer
        let remedies: RemedyWriter
        let time: Timestamp
        /// The kernel's answer per source and destination; absent where asking failed.
        var answers: [PathQuery.Pair: Route?] = [:]
        var predictions: [PathPrediction] = []
        var arpRows: [ARPRow] = []
        var findings: [Finding] = []

        init(
            config: Config, host: [HostInterface], subnets: [SharedSubnet], conf: IPv4Conf, routes: [Route],
            rules: [RoutingRule], time: Timestamp
        ) {
            self.config = config
            self.host = host
            self.subnets = subnets
            self.conf = conf
            self.time = time
            explainer = RouteExplainer(routes: routes, rules: rules)
            remedies = RemedyWriter(host: host, routes: routes, rules: rules, conf: conf)
        }

        func reference(_ name: String) -> InterfaceRef { InterfaceRef(name: name, alias: config.interface(named: name)?.alias) }

        /// The subnet a local address has on its interface.
        func subnet(of address: IPAddress) -> IPPrefix? {
            host.lazy.flatMap(\.addresses).first { $0.address == address }?.network
        }

        /// The shared subnet `address` is in, if another interface shares it.
        func sharedSubnet(of address: IPAddress) -> SharedSubnet? {
            subnets.first { subnet in subnet.members.contains { $0.address == address } }
        }

        /// The addresses of `address`'s shared subnet with their interfaces, or `address` alone:
        /// the ones a policy routing fix covers.
        func members(around address: IPAddress, owner: String) -> [SharedSubnet.Member] {
            sharedSubnet(of: address)?.members ?? [SharedSubnet.Member(interface: owner, address: address)]
        }

        mutating func predict(_ query: PathQuery, route: Route?) {
            let chosen = route?.interface
            let others = route.map(explainer.others)
            let verdict: PathPrediction.Verdict = route == nil ? .unreachable : chosen == query.expected ? .ok : .mismatch
            let prediction = PathPrediction(
                intent: query.intent, source: query.source, destination: query.destination,
                expected: reference(query.expected), actual: chosen.map(reference), route: route,
                rules: route.map { explainer.rules(from: query.source, to: query.destination, chosen: $0) } ?? [],
                skipped: others?.before ?? [], alternatives: others?.after ?? [], verdict: verdict)
            predictions.append(prediction)
            let owner = query.intent.map { "intent \($0)" } ?? "\(query.expected)'s address"
            if verdict != .ok {
                var fixes = [remedies.dedicatedNetwork(query.source, owner: query.expected)]
                fixes.append(remedies.policyRouting(members(around: query.source, owner: query.expected), toward: route))
                if let chosen, !query.source.isIPv6, conf.effective(chosen).arpAnnounce < 2 {
                    fixes.append(remedies.arpSettings(sharedSubnet(of: query.source)?.interfaces ?? [chosen]))
                }
                if let chosen, let subnet = subnet(of: query.source) { fixes.append(remedies.pin(to: chosen, subnet: subnet)) }
                let detail =
                    verdict == .unreachable
                    ? "the kernel has no route from \(query.source) (\(owner)) to \(query.destination): the traffic cannot leave"
                    : "traffic from \(query.source) (\(owner)) to \(query.destination) will leave by \(chosen ?? "no interface"), "
                        + "not \(query.expected): \(prediction.why)"
                add(.egressPredictedMismatch, prediction, detail: detail, remedies: fixes)
            }
            if let route, route.isLinkDown, let chosen {
                let ignore = route.destination.address.isIPv6
                    ? "IPv6's ignore_routes_with_linkdown is off"
                    : "ignore_routes_with_linkdown is off: " + conf.explain("ignore_routes_with_linkdown", \.ignoreRoutesWithLinkdown, on: chosen)
                add(
                    .linkdownRoute, prediction,
                    detail: "traffic from \(query.source) to \(query.destination) will go out \(chosen), whose link is down: "
                        + "the route \(route) is still chosen, since \(ignore)",
                    remedies: remedies.linkdown(chosen, isIPv6: route.destination.address.isIPv6))
            }
        }

        mutating func add(_ kind: FindingKind, _ prediction: PathPrediction, detail: String, remedies: [Remedy]) {
            guard !findings.contains(where: {
                $0.kind == kind && $0.intent == prediction.intent && $0.address == prediction.source.description
                    && $0.destination == prediction.destination.description
            }) else { return }
            var finding = Finding.predicted(
                kind, intent: prediction.intent, direction: "out", expected: prediction.expected, actual: prediction.actual,
                address: prediction.source, at: time, detail: detail)
            finding.destination = prediction.destination.description
            finding.route = prediction.route?.description
            finding.rules = prediction.rules.map(\.description)
            finding.remedies = remedies
            findings.append(finding)
        }

        /// Who answers ARP for each address of `subnet`, and who announces it: an
        /// `ingress-flux-risk` for each interface that may draw another's traffic, and for an
        /// address no interface answers for.
        mutating func judgeARP(_ subnet: SharedSubnet) {
            let names = subnet.interfaces
            var answered: [String: [String]] = [:]
            for member in subnet.members {
                // The route to the subnet from the address: what strict rp_filter and arp_filter follow.
                guard let back = answers[PathQuery.Pair(source: member.address, destination: subnet.peer)] else { continue }
                let routeBack = back?.interface
                let replies = names.map {
                    ARPAnswer(interface: $0, address: member.address, owner: member.interface, routeBack: routeBack, conf: conf)
                }
                for answer in replies where answer.answers { answered[answer.interface, default: []].append(member.address.description) }
                let answering = replies.filter(\.answers).map(\.interface)
                let ownerSilent = !answering.contains(member.interface)
                var risks: [(interface: String, reasons: [String])] = replies.filter { $0.answers && $0.interface != member.interface }
                    .map { ($0.interface, $0.reasons) }
                // A request the host sends out another interface names this address as its
                // sender: peers on the segment then learn the address at that interface's MAC.
                if let routeBack, routeBack != member.interface, conf.effective(routeBack).arpAnnounce < 2 {
                    let reason = conf.explain("arp_announce", \.arpAnnounce, on: routeBack)
                        + " sends ARP requests for traffic from \(member.address), which leaves by \(routeBack), with \(member.address) "
                        + "as the sender: peers learn \(member.address) at \(routeBack)'s MAC"
                    if let index = risks.firstIndex(where: { $0.interface == routeBack }) {
                        risks[index].reasons.append(reason)
                    } else {
                        risks.append((routeBack, [reason]))
                    }
                }
                let ownerReasons = replies.first { $0.interface == member.interface }?.reasons ?? []
                let needsRouting = replies.contains(where: \.followsRouteBack) || routeBack != member.interface
                for risk in risks {
                    let who = ownerSilent ? "only \(risk.interface) answers ARP for" : "\(risk.interface) may answer ARP for"
                    var detail = "\(who) \(member.address) (\(member.interface)'s address)"
                    detail += ownerSilent ? ", \(member.interface) does not" : " as well as \(member.interface)"
                    detail += ": " + (risk.reasons + (ownerSilent ? ownerReasons : [])).joined(separator: "; ")
                    detail += ownerSilent
                        ? "; all traffic for \(member.address) then arrives on \(risk.interface)"
                        : "; a peer then sends traffic for \(member.address) to whichever interface it heard first"
                    addARP(member, actual: risk.interface, detail: detail, needsRouting: needsRouting, pin: ownerSilent)
                }
                if answering.isEmpty {
                    addARP(
                        member, actual: nil,
                        detail: "no interface answers ARP for \(member.address) (\(member.interface)'s address): "
                            + replies.flatMap(\.reasons).joined(separator: "; ") + "; peers cannot reach it",
                        needsRouting: needsRouting, pin: false)
                }
            }
            for name in names {
                let settings = conf.effective(name)
                let state = host.first { $0.name == name }
                arpRows.append(
                    ARPRow(
                        interface: reference(name), subnet: subnet.prefix.description,
                        link: state.map { $0.isLinkUp ? "up" : $0.isUp ? "no-carrier" : "down" } ?? "absent",
                        effective: settings, own: conf.interfaces[name], answersFor: answered[name] ?? []))
            }
        }

        mutating func addARP(_ member: SharedSubnet.Member, actual: String?, detail: String, needsRouting: Bool, pin: Bool) {
            var fixes = [remedies.dedicatedNetwork(member.address, owner: member.interface)]
            if needsRouting { fixes.append(remedies.policyRouting(members(around: member.address, owner: member.interface), toward: nil)) }
            fixes.append(remedies.arpSettings(sharedSubnet(of: member.address)?.interfaces ?? [member.interface]))
            if pin, let actual, let subnet = subnet(of: member.address) { fixes.append(remedies.pin(to: actual, subnet: subnet)) }
            var finding = Finding.predicted(
                .ingressFluxRisk, intent: nil, direction: "in", expected: reference(member.interface), actual: actual.map(reference),
                address: member.address, at: time, detail: detail)
            finding.remedies = fixes
            findings.append(finding)
        }

        /// Per shared subnet: is routing right, is ARP right, and so how far it is fixed.
        func verdicts(_ subnets: [SharedSubnet]) -> [SubnetVerdict] {
            subnets.map { subnet in
                let addresses = Set(subnet.members.map(\.address))
                let routingOK = !predictions.contains { addresses.contains($0.source) && $0.verdict != .ok }
                let texts = Set(addresses.map(\.description))
                let arpOK = !findings.contains { $0.kind == .ingressFluxRisk && texts.contains($0.address ?? "") }
                return SubnetVerdict(
                    subnet: subnet.prefix.description, interfaces: subnet.interfaces.map(reference),
                    routing: routingOK ? "ok" : "wrong", arp: subnet.prefix.address.isIPv6 ? "n/a" : arpOK ? "ok" : "at-risk",
                    status: routingOK ? (arpOK ? .fixed : .routingOnly) : (arpOK && !subnet.prefix.address.isIPv6 ? .arpOnly : .unfixed))
            }
        }
    }
}

extension Finding {
    /// A finding of `check`: no traffic behind it, seen at the time of the check.
    static func predicted(
        _ kind: FindingKind, intent: String?, direction: String, expected: InterfaceRef?, actual: InterfaceRef?,
        address: IPAddress, at time: Timestamp, detail: String
    ) -> Finding {
        Finding(
            kind: kind, intent: intent, direction: direction, expected: expected, actual: actual, address: address.description,
            macs: nil, packets: 0, bytes: 0, flows: 0, packetsPerSecond: nil, bitsPerSecond: nil, firstSeen: time,
            lastSeen: time, sampleFlows: [], detail: detail)
    }
}
