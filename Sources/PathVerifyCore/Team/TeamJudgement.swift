/// One team's flows judged against its policy: the predicted uplink of each, the mismatches,
/// and the failovers.
struct TeamJudgement {
    struct Judged {
        var flow: TeamChecker.TeamFlow
        var predicted: String?
        var verdict: Verdict
        /// The interface riding on the team that sent it, where known.
        var rider: String?
    }

    enum Verdict: String {
        case ok, mismatch, unpredictable
    }

    struct Pair: Hashable {
        var expected: String
        var actual: String
    }

    let team: Team
    let timeline: TeamTimeline
    let checker: TeamChecker
    private(set) var judged: [Judged] = []
    private(set) var unpredictable = 0

    init(team: Team, timeline: TeamTimeline, checker: TeamChecker) {
        self.team = team
        self.timeline = timeline
        self.checker = checker
    }

    /// Judges a flow by the stretches of link state it touches: it is on a right uplink if the
    /// policy picks its uplink in one of them.
    mutating func judge(_ flow: TeamChecker.TeamFlow) {
        let window = flow.record.span.widened(by: TeamChecker.toleranceNanoseconds)
        let predictions = timeline.stretches(overlapping: window).compactMap { predict(flow.record, in: $0) }
        let rider = TeamChecker.rider(of: flow.record, on: team, ownership: checker.ownership)
        if predictions.isEmpty {
            unpredictable += 1
            judged.append(Judged(flow: flow, predicted: nil, verdict: .unpredictable, rider: rider))
        } else if predictions.contains(flow.uplink) {
            judged.append(Judged(flow: flow, predicted: flow.uplink, verdict: .ok, rider: rider))
        } else {
            judged.append(Judged(flow: flow, predicted: predictions[0], verdict: .mismatch, rider: rider))
        }
    }

    /// The uplink the policy picks for `record` while `stretch`'s uplinks are usable, or `nil`
    /// when the policy's choice cannot be computed from the headers.
    func predict(_ record: FlowRecord, in stretch: TeamTimeline.Stretch) -> String? {
        let usable = stretch.usable
        guard !usable.isEmpty else { return nil }
        switch team.policy {
        case .explicitFailover, .activeBackup:
            return stretch.carrier
        case .ipHash:
            return usable[TeamHash.index(of: TeamHash.vmwareIP(record.teamHashInput), among: usable.count)]
        case .balanceXOR(let hash), .lacp(let hash):
            return TeamHash.bond(hash, record.teamHashInput).map { usable[TeamHash.index(of: $0, among: usable.count)] }
        case .originatingPort, .sourceMAC:
            return nil
        }
    }

    /// Where the uplink cannot be predicted, what the policy still keeps on one uplink while no
    /// link changes: port ID and source MAC keep each source (by design); a hash keeps each
    /// flow (its headers do not change). Such a group seen on two uplinks is a mismatch on the
    /// one that carried less of it. (A TCP retransmission timeout may rehash an encap3+4 flow:
    /// `sk_rethink_txhash`.)
    mutating func checkStability() {
        guard timeline.stretches.count == 1 else { return }
        var byGroup: [String: [String: UInt64]] = [:]
        for entry in judged where entry.verdict == .unpredictable {
            byGroup[group(of: entry.flow.record), default: [:]][entry.flow.uplink, default: 0] += entry.flow.record.packets
        }
        for index in judged.indices where judged[index].verdict == .unpredictable {
            let uplinks = byGroup[group(of: judged[index].flow.record)] ?? [:]
            guard uplinks.count > 1 else { continue }
            let main = uplinks.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key  // uplinks has two or more entries
            judged[index].predicted = main
            if judged[index].flow.uplink != main { judged[index].verdict = .mismatch }
        }
    }

    /// What the policy keeps on one uplink: the source (its MAC, else its address) for port ID
    /// and source MAC; the flow itself for a hash.
    func group(of record: FlowRecord) -> String {
        switch team.policy {
        case .originatingPort, .sourceMAC:
            return record.sourceMAC.map(\.description) ?? record.key.source.description
        default:
            return record.compact + " vlan \(record.key.vlans)"
        }
    }

    func mismatchFindings() -> [Finding] {
        var evidence: [Pair: Verifier.Evidence] = [:]
        for entry in judged where entry.verdict == .mismatch {
            evidence[Pair(expected: entry.predicted!, actual: entry.flow.uplink), default: Verifier.Evidence()]  // a mismatch has a prediction
                .add(entry.flow.record, interface: entry.flow.uplink)
        }
        let how = "its policy \(checker.policyText(team)) picks"
        return evidence.map { pair, proof in
            let samples = proof.samples.sorted(by: Verifier.Evidence.busierFirst)
            let seconds = proof.lastSeen.seconds(since: proof.firstSeen)
            return Finding(
                kind: .uplinkMismatch, intent: nil, team: team.name, direction: "out",
                expected: checker.reference(pair.expected), actual: checker.reference(pair.actual), address: nil,
                macs: nil, packets: proof.packets, bytes: proof.bytes, flows: proof.flows,
                packetsPerSecond: seconds > 0 ? Double(proof.packets) / seconds : nil,
                bitsPerSecond: seconds > 0 ? Double(proof.bytes * 8) / seconds : nil, firstSeen: proof.firstSeen,
                lastSeen: proof.lastSeen, sampleFlows: samples.map { $0.record.summary(interface: $0.interface) },
                flow: samples.first?.record.compact,
                detail: "\(proof.packets) packets in \(proof.flows) flows of team \(team.name) left by "
                    + "\(checker.reference(pair.actual)); \(how) \(checker.reference(pair.expected))")
        }
    }

    /// Traffic that moved because an uplink was down: for a failover team, each uplink that
    /// carried while the preferred one was down; for the others, each uplink that was down while
    /// the team carried traffic.
    func failoverFindings(history: LinkHistory) -> [Finding] {
        let how = history.isObserved ? "down" : "silent (read from the capture: no packets on it)"
        if team.policy.isFailoverOrder {
            guard let normal = TeamTimeline.preferred(team).first else { return [] }
            var result: [Finding] = []
            let moved = Set(timeline.stretches.compactMap { $0.carrier }).subtracting([normal]).sorted()
            for carrier in moved {
                let stretches = timeline.stretches.filter { $0.carrier == carrier }
                let carried = judged.filter { entry in
                    entry.flow.uplink == carrier && stretches.contains { $0.span.overlaps(entry.flow.record.span) }
                }
                guard !carried.isEmpty || history.isObserved else { continue }
                let end = stretches.map(\.span.end).max()!  // moved holds carriers of some stretch
                let back = judged.filter { $0.flow.uplink == normal && $0.flow.record.lastSeen >= end }
                    .map { max($0.flow.record.firstSeen, end) }.min()
                let role = team.standby.contains(carrier) ? "standby uplink" : "uplink"
                var detail =
                    "team \(team.name) failed over from \(checker.reference(normal)) to \(role) \(checker.reference(carrier)): "
                    + "\(checker.reference(normal)) was \(how) \(spans(of: normal, history))"
                detail += carried.isEmpty ? "" : "; \(checker.reference(carrier)) carried \(sum(carried).packets) packets in \(carried.count) flows"
                detail += back.map { "; traffic moved back to \(checker.reference(normal)) at \($0)" } ?? "; it had not moved back by the end"
                result.append(finding(expected: normal, actual: carrier, carried, detail: detail))
            }
            return result
        }
        guard history.isObserved else { return [] }
        return team.uplinks.compactMap { uplink in
            guard let down = history.downSpans[uplink], !down.isEmpty,
                timeline.stretches.contains(where: { !$0.usable.contains(uplink) })
            else { return nil }
            let moved = judged.filter { entry in entry.flow.uplink != uplink && down.contains { $0.overlaps(entry.flow.record.span) } }
            return finding(
                expected: uplink, actual: nil, moved,
                detail: "\(checker.reference(uplink)) of team \(team.name) was down \(spans(of: uplink, history)); "
                    + "the team's flows spread over its other uplinks (\(sum(moved).packets) packets in \(moved.count) flows meanwhile)")
        }
    }

    private func sum(_ entries: [Judged]) -> Traffic {
        var total = Traffic()
        for entry in entries { total.add(entry.flow.record) }
        return total
    }

    private func finding(expected: String, actual: String?, _ entries: [Judged], detail: String) -> Finding {
        let total = sum(entries)
        let first = entries.map(\.flow.record.firstSeen).min() ?? timeline.stretches.first?.span.start ?? Timestamp(nanoseconds: 0)
        let last = entries.map(\.flow.record.lastSeen).max() ?? timeline.stretches.last?.span.end ?? first
        let busiest = entries.max { $0.flow.record.packets < $1.flow.record.packets }
        return Finding(
            kind: .failover, intent: nil, team: team.name, direction: "out", expected: checker.reference(expected),
            actual: actual.map(checker.reference), address: nil, macs: nil, packets: total.packets, bytes: total.bytes,
            flows: entries.count, packetsPerSecond: nil, bitsPerSecond: nil, firstSeen: first, lastSeen: last,
            sampleFlows: entries.sorted { $0.flow.record.packets > $1.flow.record.packets }.prefix(Verifier.sampleFlows)
                .map { $0.flow.record.summary(interface: $0.flow.uplink) },
            flow: busiest?.flow.record.compact, detail: detail)
    }

    /// `from T1 to T2, from T3 until the end`, within the traffic's span.
    private func spans(of uplink: String, _ history: LinkHistory) -> String {
        guard let first = timeline.stretches.first?.span.start, let last = timeline.stretches.last?.span.end else { return "" }
        let whole = TimeSpan(start: first, end: last)
        return (history.downSpans[uplink] ?? []).filter { $0.overlaps(whole) }.map { down in
            let start = down.start <= first ? "from the start" : "from \(down.start)"
            return down.end >= last ? "\(start) until the end" : "\(start) to \(down.end)"
        }.joined(separator: ", ")
    }

    /// Each rider's uplinks, with the predicted one where it differs (see `TeamUsage.teamPNIC`).
    func teamPNIC() -> [String: String] {
        var used: [String: [String: Set<String>]] = [:]
        for entry in judged {
            guard let rider = entry.rider else { continue }
            let other = entry.predicted.flatMap { $0 == entry.flow.uplink ? nil : $0 }
            used[rider, default: [:]][entry.flow.uplink, default: []].formUnion(other.map { [$0] } ?? [])
        }
        return used.mapValues { uplinks in
            uplinks.sorted { $0.key < $1.key }.map { uplink, predicted in
                predicted.isEmpty ? uplink : "\(uplink)(predicted \(predicted.sorted().joined(separator: "/")))"
            }.joined(separator: ",")
        }
    }

    /// The report's rows: mismatches first, then the busiest.
    func rows() -> [TeamFlowRow] {
        let order: [Verdict: Int] = [.mismatch: 0, .ok: 1, .unpredictable: 2]
        return judged.sorted { a, b in
            (order[a.verdict]!, b.flow.record.packets, a.flow.record.compact)
                < (order[b.verdict]!, a.flow.record.packets, b.flow.record.compact)
        }.prefix(TeamChecker.flowRows).map { entry in
            TeamFlowRow(
                flow: entry.flow.record.compact,
                interface: entry.rider.map(checker.reference),
                predicted: entry.predicted.map(checker.reference), actual: checker.reference(entry.flow.uplink),
                packets: entry.flow.record.packets, bytes: entry.flow.record.bytes, verdict: entry.verdict.rawValue)
        }
    }
}
