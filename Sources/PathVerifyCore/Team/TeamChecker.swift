/// Checks the flows that left by a team's uplinks against the team's policy: the uplink each
/// flow used beside the one the policy predicts, failovers, how hashing spread the flows, and
/// whether the team could lose an uplink (N-1).
///
/// Flows are absorbed one at a time, like `Verifier`'s; the judgement waits for the end,
/// because which uplinks were usable when is known only then.
public struct TeamChecker: Sendable {
    /// Outgoing flows kept per analysis; beyond it they are counted as unchecked.
    static let flowBound = 100_000
    /// Rows per team in the report's flow table.
    public static let flowRows = 20
    /// A hashing team is judged for imbalance only with at least this many packets out.
    public static let imbalanceMinimumPackets: UInt64 = 100
    /// Link state is sampled once a second live, and silences are read with the same
    /// resolution offline: a flow within this of a change may belong to either side.
    static let toleranceNanoseconds = InterfaceActivity.gapNanoseconds

    struct TeamFlow: Sendable {
        var record: FlowRecord
        var uplink: String
    }

    public let teams: [Team]
    let ownership: AddressOwnership
    private let aliases: [String: String]
    private var flows: [[TeamFlow]]
    private var unchecked: [Int]

    public init(config: Config, ownership: AddressOwnership) {
        teams = config.teams
        self.ownership = ownership
        aliases = Dictionary(config.interfaces.compactMap { i in i.alias.map { (i.name, $0) } }) { first, _ in first }
        flows = Array(repeating: [], count: config.teams.count)
        unchecked = Array(repeating: 0, count: config.teams.count)
    }

    public var isEmpty: Bool { teams.isEmpty }

    /// Keeps an outgoing flow seen on a team's uplink; other flows are ignored.
    /// - Returns: the team whose uplink `interface` is, whatever the flow's direction.
    @discardableResult
    public mutating func absorb(_ flow: FlowRecord, interface: String) -> Team? {
        guard let index = teams.firstIndex(where: { $0.uplinks.contains(interface) }) else { return nil }
        if flow.key.direction == .outbound {
            if flows[index].count >= Self.flowBound {
                unchecked[index] += 1
            } else {
                flows[index].append(TeamFlow(record: flow, uplink: interface))
            }
        }
        return teams[index]
    }

    /// The interface riding on `team` that a flow on one of its uplinks belongs to: the one
    /// whose MAC or address is the flow's near end, else the team's only one.
    public static func rider(
        of record: FlowRecord, on team: Team, ownership: AddressOwnership
    ) -> String? {
        let outbound = record.key.direction != .inbound
        let mac = outbound ? record.sourceMAC : record.destinationMAC
        let address = outbound ? record.key.source : record.key.destination
        if let mac, let owner = ownership.interface(withMAC: mac), team.interfaces.contains(owner) { return owner }
        if let owner = ownership.owners[address], team.interfaces.contains(owner) { return owner }
        return team.interfaces.count == 1 ? team.interfaces[0] : nil
    }

    func reference(_ name: String) -> InterfaceRef { InterfaceRef(name: name, alias: aliases[name]) }

    // MARK: Judgement

    /// What the checks found, and each team's usage for the report.
    /// - Parameters:
    ///   - links: link state observed live; offline (`nil`, or nothing observed, as in `top`),
    ///     failover teams read it from silences in `activity` and hashing teams take every
    ///     uplink as up.
    ///   - activity: each interface's busy spans.
    ///   - traffic: each interface's packets and bytes out and in.
    ///   - span: the traffic's first and last packet.
    public func results(
        links: LinkHistory?, activity: [String: [TimeSpan]], traffic: [String: (out: Traffic, in: Traffic)],
        span: TimeSpan?
    ) -> (findings: [Finding], usage: [TeamUsage]) {
        guard let span else { return ([], []) }
        var findings: [Finding] = []
        var usage: [TeamUsage] = []
        for (index, team) in teams.enumerated() {
            let history: LinkHistory
            let linkState: String
            if let links, links.isObserved {
                (history, linkState) = (links, "observed")
            } else if team.policy.isFailoverOrder {
                (history, linkState) = (LinkHistory.inferred(uplinks: team.uplinks, activity: activity, span: span), "inferred")
            } else {
                (history, linkState) = (LinkHistory(), "assumed-up")
            }
            let timeline = TeamTimeline(team: team, links: history, span: span)
            var judge = TeamJudgement(team: team, timeline: timeline, checker: self)
            for flow in flows[index] { judge.judge(flow) }
            judge.checkStability()
            findings += judge.mismatchFindings()
            findings += judge.failoverFindings(history: history)
            let uplinks = uplinkUsage(team, history: history, traffic: traffic, span: span)
            findings += TeamLoadCheck(
                team: team, uplinks: uplinks, timeline: timeline, linksObserved: history.isObserved, flows: flows[index]
            ).findings(span: span, reference: reference)
            usage.append(
                TeamUsage(
                    team: team.name, policy: policyText(team), linkState: linkState, uplinks: uplinks,
                    flows: judge.rows(), teamPNIC: judge.teamPNIC(), unpredictableFlows: judge.unpredictable, uncheckedFlows: unchecked[index]))
        }
        return (findings, usage)
    }

    func policyText(_ team: Team) -> String {
        team.policy.hashPolicy.map { "\(team.policy.name) \($0.name)" } ?? team.policy.name
    }

    private func uplinkUsage(
        _ team: Team, history: LinkHistory, traffic: [String: (out: Traffic, in: Traffic)], span: TimeSpan
    ) -> [UplinkUsage] {
        let seconds = span.seconds
        func rate(_ bytes: UInt64) -> Double? { seconds > 0 ? Double(bytes) * 8 / seconds : nil }
        let totalOut = team.uplinks.reduce(UInt64(0)) { $0 + (traffic[$1]?.out.bytes ?? 0) }
        return team.uplinks.map { name in
            let carried = traffic[name] ?? (Traffic(), Traffic())
            let role = team.policy == .explicitFailover ? (team.standby.contains(name) ? "standby" : "active") : "member"
            let capacity = (team.capacityMegabitsPerSecond ?? history.speeds[name]).map { $0 * 1_000_000 }
            return UplinkUsage(
                uplink: reference(name), role: role, wasDown: history.wasDown(name, during: span),
                packetsOut: carried.out.packets, bytesOut: carried.out.bytes, packetsIn: carried.in.packets,
                bytesIn: carried.in.bytes, bitsPerSecondOut: rate(carried.out.bytes),
                bitsPerSecondIn: rate(carried.in.bytes),
                share: totalOut > 0 ? Double(carried.out.bytes) / Double(totalOut) : 0, capacityBitsPerSecond: capacity)
        }
    }
}

extension FlowRecord {
    /// The header fields a team's hash reads.
    var teamHashInput: TeamHashInput {
        TeamHashInput(
            sourceMAC: sourceMAC, destinationMAC: destinationMAC, vlan: key.vlanTags > 0 ? key.outerVLAN : 0,
            source: key.source, destination: key.destination, ipProtocol: key.ipProtocol,
            sourcePort: key.sourcePort, destinationPort: key.destinationPort, isFragment: key.isLaterFragment)
    }

    var span: TimeSpan { TimeSpan(start: firstSeen, end: lastSeen) }
}
