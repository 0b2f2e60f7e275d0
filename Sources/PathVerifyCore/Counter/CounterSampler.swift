/// Samples the counters of the watched interfaces, one pass per call, and gives each its
/// rates since the previous pass.
///
/// Facts that a sample does not carry (speed, addresses) are read once, and again for an
/// interface whose ifindex or operational state changed, since a link that comes up may come
/// up at another speed. Reading them every pass would cost a driver call per interface.
public struct CounterSampler {
    /// An interface being watched, with the operator's names for it.
    public struct Watched: Equatable, Sendable {
        public var name: String
        public var alias: String?
        public var role: String?
        /// The latest facts read; `nil` while the interface is gone.
        public var facts: HostInterface?
    }

    public private(set) var watched: [Watched]
    private var tracker = CounterRateTracker()

    /// - Parameters:
    ///   - interfaces: the interfaces to watch, in the order to show them.
    ///   - config: gives each interface its alias and role.
    public init(interfaces: [HostInterface], config: Config = Config()) {
        watched = interfaces.map { interface in
            let configured = config.interfaces.first { $0.name == interface.name }
            return Watched(name: interface.name, alias: configured?.alias, role: configured?.role, facts: interface)
        }
    }

    /// Reads every watched interface once and returns one row per interface, in order.
    /// A gone interface gets a row too, and starts over if it comes back.
    public mutating func sample(
        counters: some InterfaceCounterSource, facts: some HostInterfaceSource
    ) throws -> [CounterRow] {
        var rows: [CounterRow] = []
        for index in watched.indices {
            let name = watched[index].name
            let sample = try counters.sample(name)
            let interval = tracker.observe(name, sample)
            if let sample {
                let known = watched[index].facts
                if known?.ifindex != sample.ifindex || known?.operationalState != sample.operationalState {
                    watched[index].facts = try facts.interface(named: name)
                }
            } else {
                watched[index].facts = nil
            }
            rows.append(
                CounterRow(
                    name: name, alias: watched[index].alias, role: watched[index].role,
                    state: sample?.operationalState,
                    speedMegabitsPerSecond: watched[index].facts?.speedMegabitsPerSecond,
                    interval: interval))
        }
        return rows
    }
}
