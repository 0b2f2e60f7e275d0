/// How a team's load sits on its uplinks: `team-imbalance` for hashing teams, and
/// `n-1-congestion-risk` for any team whose uplinks have a known capacity.
struct TeamLoadCheck {
    let team: Team
    let uplinks: [UplinkUsage]
    let timeline: TeamTimeline
    /// Whether link state was observed; inferred silences do not make an uplink a non-survivor.
    let linksObserved: Bool
    let flows: [TeamChecker.TeamFlow]

    func findings(span: TimeSpan, reference: (String) -> InterfaceRef) -> [Finding] {
        [imbalance(span: span, reference: reference), congestionRisk(span: span, reference: reference)].compactMap { $0 }
    }

    /// A hashing team whose busiest uplink carries more than the threshold share of its bytes,
    /// with the address pair behind it: a hash keeps one pair on one uplink whatever its load
    /// (the FT-logging case: two hosts, one pair).
    func imbalance(span: TimeSpan, reference: (String) -> InterfaceRef) -> Finding? {
        let usable = Set(timeline.stretches.flatMap(\.usable))
        let packets = uplinks.reduce(UInt64(0)) { $0 + $1.packetsOut }
        let bytes = uplinks.reduce(UInt64(0)) { $0 + $1.bytesOut }
        guard team.policy.hashes, usable.count > 1, packets >= TeamChecker.imbalanceMinimumPackets,
            let busiest = uplinks.max(by: { ($0.share, $1.uplink.name) < ($1.share, $0.uplink.name) }),
            busiest.share > team.imbalanceThreshold
        else { return nil }
        var pairs: [String: UInt64] = [:]
        for flow in flows { pairs["\(flow.record.key.source)→\(flow.record.key.destination)", default: 0] += flow.record.bytes }
        let pair = pairs.max { ($0.value, $1.key) < ($1.value, $0.key) }
        let shares = uplinks.map { "\(reference($0.uplink.name)) \(percentText($0.share))" }.joined(separator: ", ")
        var detail =
            "\(reference(busiest.uplink.name)) carries \(percentText(busiest.share)) of team \(team.name)'s outgoing bytes "
            + "(\(shares)), above \(percentText(team.imbalanceThreshold))"
        if let pair, bytes > 0 {
            detail += "; the busiest address pair \(pair.key) is \(percentText(Double(pair.value) / Double(bytes))) of them, "
                + "and a hash keeps one pair on one uplink"
        }
        return Finding(
            kind: .teamImbalance, intent: nil, team: team.name, direction: "out", expected: nil,
            actual: reference(busiest.uplink.name), address: nil, macs: nil, packets: packets, bytes: bytes,
            flows: flows.count, packetsPerSecond: nil, bitsPerSecond: busiest.bitsPerSecondOut,
            firstSeen: span.start, lastSeen: span.end, sampleFlows: [], flow: nil,
            shares: Dictionary(uplinks.map { ($0.uplink.name, $0.share) }) { first, _ in first }, detail: detail)
    }

    /// For each uplink that could fail: where its load would go, and the worst load that a
    /// survivor would then carry against its capacity, out and in. A failover team moves the
    /// load to the uplink it would pick next; the others spread it evenly over the survivors
    /// (a hash over fewer uplinks remaps flows; evenly is the expectation, not a promise).
    func congestionRisk(span: TimeSpan, reference: (String) -> InterfaceRef) -> Finding? {
        guard uplinks.count > 1, uplinks.allSatisfy({ ($0.capacityBitsPerSecond ?? 0) > 0 }) else { return nil }
        struct Case {
            var failed: UplinkUsage
            var survivor: UplinkUsage
            var direction: String
            var own: Double
            var moved: Double
            var utilization: Double
        }
        let alive = uplinks.filter { uplink in
            !linksObserved || (timeline.stretches.last?.usable.contains(uplink.uplink.name) ?? true)
        }
        var worst: Case?
        for failed in alive {
            let survivors = alive.filter { $0.uplink != failed.uplink }
            guard !survivors.isEmpty else { continue }
            let next = TeamTimeline.preferred(team).first { name in survivors.contains { $0.uplink.name == name } }
            for survivor in survivors {
                for (direction, load) in [("out", \UplinkUsage.bitsPerSecondOut), ("in", \UplinkUsage.bitsPerSecondIn)] {
                    let failedLoad = failed[keyPath: load] ?? 0
                    let moved =
                        team.policy.isFailoverOrder
                        ? (survivor.uplink.name == next ? failedLoad : 0) : failedLoad / Double(survivors.count)
                    let own = survivor[keyPath: load] ?? 0
                    let utilization = (own + moved) / survivor.capacityBitsPerSecond!  // checked in the guard
                    if utilization > worst?.utilization ?? -1 {
                        worst = Case(
                            failed: failed, survivor: survivor, direction: direction, own: own, moved: moved,
                            utilization: utilization)
                    }
                }
            }
        }
        guard let worst, worst.utilization > team.congestionThreshold else { return nil }
        let capacity = worst.survivor.capacityBitsPerSecond!  // checked in the guard
        let packets = uplinks.reduce(UInt64(0)) { $0 + $1.packetsOut + $1.packetsIn }
        let bytes = uplinks.reduce(UInt64(0)) { $0 + $1.bytesOut + $1.bytesIn }
        let detail =
            "if \(reference(worst.failed.uplink.name)) failed, \(reference(worst.survivor.uplink.name)) would carry "
            + "\(BitRateText.text(worst.own + worst.moved)) \(worst.direction) (its \(BitRateText.text(worst.own)) "
            + "plus \(BitRateText.text(worst.moved)) moved from \(reference(worst.failed.uplink.name))) on "
            + "\(BitRateText.text(capacity)): \(percentText(worst.utilization)), above the "
            + "\(percentText(team.congestionThreshold)) threshold of team \(team.name)"
        return Finding(
            kind: .n1CongestionRisk, intent: nil, team: team.name, direction: worst.direction,
            expected: reference(worst.failed.uplink.name), actual: reference(worst.survivor.uplink.name), address: nil,
            macs: nil, packets: packets, bytes: bytes, flows: flows.count, packetsPerSecond: nil, bitsPerSecond: nil,
            firstSeen: span.start, lastSeen: span.end, sampleFlows: [], flow: nil,
            projectedBitsPerSecond: worst.own + worst.moved, capacityBitsPerSecond: capacity,
            utilization: worst.utilization, detail: detail)
    }

}

/// Bit rates for people: `650 Mbit/s`, `1.3 Gbit/s`, `12.5 kbit/s` (SI units, as link speeds are).
public enum BitRateText {
    public static func text(_ bitsPerSecond: Double) -> String {
        let units: [(Double, String)] = [(1e9, "Gbit/s"), (1e6, "Mbit/s"), (1e3, "kbit/s")]
        for (scale, unit) in units where bitsPerSecond >= scale {
            return "\(rounded(bitsPerSecond / scale)) \(unit)"
        }
        return "\(rounded(bitsPerSecond)) bit/s"
    }

    /// Three significant digits at most, no trailing zeros: 1.3, 12.5, 650.
    static func rounded(_ value: Double) -> String {
        let decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let number = (value * scale).rounded() / scale
        var text = number == number.rounded() ? String(Int(number)) : String(number)
        if text.contains(".") { while text.hasSuffix("0") { text.removeLast() } }
        return text
    }
}
