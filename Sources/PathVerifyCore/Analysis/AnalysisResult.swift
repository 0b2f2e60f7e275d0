/// Everything one analysis found: counts, interfaces, flows, findings and intents.
public struct AnalysisResult: Sendable {
    public var config: Config
    public var stats: AnalysisStats
    public var interfaces: [ObservedInterface]
    /// The flows still in the table at the end (evicted ones were verified, then dropped).
    public var flows: FlowTable
    public var evictedFlows: Int
    public var evictedPackets: UInt64
    public var findings: [Finding]
    /// Each team's uplinks and flows, predicted beside actual.
    public var teams: [TeamUsage]
    /// The flows behind the mismatch findings (evicted ones included).
    public var mismatchedFlows: Set<FlowKey>
    public var intents: [IntentUsage]
    /// IP packets on inputs that did not name their interface: counted, not verified.
    public var unattributedPackets: UInt64
    /// IP packets whose direction nothing told: counted, not verified.
    public var unknownDirectionPackets: UInt64

    /// `mismatch` when there is any finding, `ok` when some IP traffic could be verified (its
    /// interface and direction are known), else `idle`.
    public var verdict: Verdict {
        if !findings.isEmpty { return .mismatch }
        return stats.ipv4 + stats.ipv6 > unattributedPackets + unknownDirectionPackets ? .ok : .idle
    }
}

extension AnalysisResult {
    /// The findings that concern one interface: it carried the traffic (`actual`), or, for
    /// ARP flux, its address was answered for by others (`expected`).
    public func findings(concerning interface: String) -> [Finding] {
        findings.filter { $0.actual?.name == interface || ($0.kind == .arpFlux && $0.expected?.name == interface) }
    }

    /// For an interface riding on a team, the uplinks its flows used (`up1`, `up1,up2`), each
    /// followed by the predicted one where they differ (`up2(predicted up1)`); `nil` for any
    /// other interface or when none of its flows was seen.
    public func teamUplinkText(of interface: String) -> String? {
        teams.lazy.compactMap { $0.teamPNIC[interface] }.first
    }

    /// One interface's verdict, as `top` shows it: the kinds of its findings, else `ok` when
    /// traffic on it with a known direction was seen, else `idle`.
    public func verdictText(of interface: String) -> String {
        let kinds = Set(findings(concerning: interface).map(\.kind)).sorted()
        if !kinds.isEmpty { return kinds.map(\.rawValue).joined(separator: ",") }
        let observed = interfaces.first { $0.name == interface }
        return (observed.map { $0.outbound.packets + $0.inbound.packets } ?? 0) > 0 ? Verdict.ok.rawValue : Verdict.idle.rawValue
    }
}
