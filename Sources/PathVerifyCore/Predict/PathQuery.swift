/// One question for the kernel: the route from a local address to a destination, and the
/// interface the traffic should leave by.
struct PathQuery: Hashable, Sendable {
    var intent: String?
    var source: IPAddress
    var destination: IPAddress
    var expected: String

    /// What the kernel is asked: the same for every query with this source and destination.
    struct Pair: Hashable, Sendable {
        var source: IPAddress
        var destination: IPAddress
    }

    var pair: Pair { Pair(source: source, destination: destination) }

    /// Every shared subnet's addresses to the subnet, each expected to leave by its own interface.
    static func sweep(_ subnets: [SharedSubnet]) -> [PathQuery] {
        subnets.flatMap { subnet in
            subnet.members.map { PathQuery(intent: nil, source: $0.address, destination: subnet.peer, expected: $0.interface) }
        }
    }

    /// An intent's questions: from each address of its expected egress interface that its
    /// selector covers, to each of its destinations (a representative address of each prefix;
    /// with none, the source's own subnet). A selector matches both orientations, so when the
    /// interface's addresses are among the destinations (the peer's view of one shared config),
    /// the two sides are swapped. `Err` says why an intent has no question.
    static func of(_ intent: Intent, host: [HostInterface]) -> Result<[PathQuery], IntentSkip> {
        guard let egress = intent.expectedEgress else { return .failure(.noEgress) }
        guard let interface = host.first(where: { $0.name == egress }) else { return .failure(.absent(egress)) }
        let locals = interface.addresses.filter { !HostInterface.ipv6LinkLocal.contains($0.address) }
        let everyLocal = Set(host.flatMap { $0.addresses.map(\.address) })
        var near = intent.selector.sources
        var far = intent.selector.destinations
        func covers(_ prefixes: [IPPrefix]) -> Bool { locals.contains { local in prefixes.contains { $0.contains(local.address) } } }
        if covers(far) && !covers(near) { swap(&near, &far) }
        let sources = locals.filter { local in near.isEmpty || near.contains { $0.contains(local.address) } }
        guard !sources.isEmpty else { return .failure(.noSource(egress)) }
        var queries: [PathQuery] = []
        for source in sources {
            let targets = far.isEmpty ? [source.network] : far
            for target in targets where target.address.isIPv6 == source.address.isIPv6 {
                guard let destination = target.firstHost(excluding: everyLocal) else { continue }
                let query = PathQuery(intent: intent.name, source: source.address, destination: destination, expected: egress)
                if !queries.contains(query) { queries.append(query) }
            }
        }
        return queries.isEmpty ? .failure(.noDestination) : .success(queries)
    }

    enum IntentSkip: Error, Equatable {
        case noEgress, absent(String), noSource(String), noDestination

        func note(_ intent: String) -> String {
            switch self {
            case .noEgress: "intent \(intent) names no egress interface: there is no route to predict"
            case .absent(let name): "intent \(intent): its egress interface \(name) is not on this host"
            case .noSource(let name): "intent \(intent): none of \(name)'s addresses is among its sources"
            case .noDestination: "intent \(intent): its destinations are all this host's own addresses, or of another family"
            }
        }
    }
}
