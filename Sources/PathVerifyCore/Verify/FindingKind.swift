/// The kinds of finding. The raw values are stable identifiers used in reports, JSON and alert
/// lines: renaming one is a breaking change.
public enum FindingKind: String, CaseIterable, Sendable, Codable, Comparable {
    /// A flow of an intent, or a packet from an address owned by interface B, left via interface A.
    case egressMismatch = "egress-mismatch"
    /// A packet for an address owned by interface B (or of an intent) arrived on interface A.
    case ingressMismatch = "ingress-mismatch"
    /// An address was answered for by more than one MAC, or by an interface that does not own it.
    case arpFlux = "arp-flux"
    /// An intent's traffic was seen, but none of it on its expected interface.
    case idleExpectedInterface = "idle-expected-interface"
    /// A live capture dropped packets: the verdict did not see all the traffic.
    case captureLoss = "capture-loss"
    /// A watched interface went down, disappeared, or its capture failed: its traffic is unseen.
    case interfaceDown = "interface-down"
    /// A flow left by another uplink of its team than the team's policy picks for it.
    case uplinkMismatch = "uplink-mismatch"
    /// A team's traffic moved to a standby uplink (or away from a failed one), or moved back.
    case failover = "failover"
    /// A hashing team put most of its traffic on one uplink.
    case teamImbalance = "team-imbalance"
    /// If one uplink of a team failed, a surviving uplink would be loaded above the threshold.
    case n1CongestionRisk = "n-1-congestion-risk"
    /// A team in the config and the bond the kernel reports disagree.
    case teamConfigDrift = "team-config-drift"
    /// `pathverify check`: the kernel would send traffic from an address out of another
    /// interface than the intent's, or than the address's owner (or has no route for it).
    case egressPredictedMismatch = "egress-predicted-mismatch"
    /// `pathverify check`: an interface may answer ARP for another interface's address, or the
    /// settings leave one interface (or none) answering for it.
    case ingressFluxRisk = "ingress-flux-risk"
    /// `pathverify check`: the route the kernel picks leads to an interface whose link is down.
    case linkdownRoute = "linkdown-route"

    /// One line for `--help` and the README.
    public var summary: String {
        switch self {
        case .egressMismatch: "traffic left by another interface than the intent's, or than its source address's owner"
        case .ingressMismatch: "traffic arrived on another interface than the intent's, or than its destination's owner"
        case .arpFlux: "an address was answered for by several MACs, or by an interface that does not own it"
        case .idleExpectedInterface: "an intent's traffic flowed, but none of it on the expected interface"
        case .captureLoss: "a live capture dropped packets (its kernel buffer was full), so the verdict is partly blind"
        case .interfaceDown: "a watched interface went down or disappeared, or its capture failed (pathverify run)"
        case .uplinkMismatch: "a flow left by another uplink of its team than the team's policy picks"
        case .failover: "a team's traffic moved to a standby uplink or off a failed one, or moved back"
        case .teamImbalance: "a hashing team put most of its traffic on one uplink"
        case .n1CongestionRisk: "if one uplink of a team failed, a survivor would be loaded above the threshold"
        case .teamConfigDrift: "a team in the config and the bond the kernel reports disagree"
        case .egressPredictedMismatch: "the kernel's route for an address leaves by another interface than expected (check)"
        case .ingressFluxRisk: "ARP settings let an interface answer for another's address, or leave one or none answering (check)"
        case .linkdownRoute: "the route the kernel picks goes out an interface whose link is down (check)"
        }
    }

    /// Whether the finding's packets measure how much traffic went wrong, so that a threshold
    /// of packets makes sense. An `arp-flux` needs only two replies, and an `interface-down` has none.
    public var countsTraffic: Bool {
        switch self {
        case .egressMismatch, .ingressMismatch, .idleExpectedInterface, .captureLoss, .uplinkMismatch: true
        case .arpFlux, .interfaceDown, .failover, .teamImbalance, .n1CongestionRisk, .teamConfigDrift,
            .egressPredictedMismatch, .ingressFluxRisk, .linkdownRoute:
            false
        }
    }

    /// Whether `pathverify check` predicts it from the kernel's settings, with no traffic.
    public var isPrediction: Bool {
        self == .egressPredictedMismatch || self == .ingressFluxRisk || self == .linkdownRoute
    }

    public static func < (lhs: FindingKind, rhs: FindingKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!  // every case is in allCases
    }
}
