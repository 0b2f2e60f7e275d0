/// A team's stretches of constant link state, and the uplink(s) its policy picks in each.
///
/// Each stretch knows which uplinks were usable; for a failover-order team it also knows
/// which one carried the traffic. That carrier depends on history when the team does not fail
/// back (VMware's "Failback: No" keeps a standby in use after the active one recovers), so the
/// stretches are walked in order.
public struct TeamTimeline: Sendable {
    public struct Stretch: Sendable, Equatable {
        public var span: TimeSpan
        /// The usable uplinks, in the team's order.
        public var usable: [String]
        /// For a failover-order team, the uplink in use; `nil` when none is usable.
        public var carrier: String?
    }

    public let team: Team
    public private(set) var stretches: [Stretch] = []

    /// - Parameter span: the traffic's first and last packet.
    public init(team: Team, links: LinkHistory, span: TimeSpan) {
        self.team = team
        var cuts: Set<Int64> = [span.start.nanoseconds, span.end.nanoseconds]
        for uplink in team.uplinks {
            for down in links.downSpans[uplink] ?? [] {
                for edge in [down.start, down.end] where edge > span.start && edge < span.end { cuts.insert(edge.nanoseconds) }
            }
        }
        // A span of one instant (a single packet) is one stretch from it to itself.
        let edges = cuts.count == 1 ? [span.start.nanoseconds, span.end.nanoseconds] : cuts.sorted()
        var carrier = team.activeUplink
        for (start, end) in zip(edges, edges.dropFirst()) {
            let stretch = TimeSpan(start: Timestamp(nanoseconds: start), end: Timestamp(nanoseconds: end))
            // Judged at the stretch's middle, away from the cuts that bound it.
            let middle = Timestamp(nanoseconds: start + (end - start) / 2)
            let usable = team.uplinks.filter { !links.wasDown($0, during: TimeSpan(start: middle, end: middle)) }
            if team.policy.isFailoverOrder {
                let keep = !Self.failsBack(team) && carrier.map(usable.contains) == true
                if !keep { carrier = Self.preferred(team).first(where: usable.contains) }
            }
            stretches.append(Stretch(span: stretch, usable: usable, carrier: team.policy.isFailoverOrder ? carrier : nil))
        }
    }

    /// A failover-order team's uplinks in the order it prefers them: explicit failover takes the
    /// active ones, then the standby ones; active-backup takes the primary, then the slave order
    /// (`bond_choose_primary_or_current`, reference §2.3).
    public static func preferred(_ team: Team) -> [String] {
        switch team.policy {
        case .activeBackup:
            guard let primary = team.primary else { return team.uplinks }
            return [primary] + team.uplinks.filter { $0 != primary }
        default:
            return team.active + team.standby
        }
    }

    /// Whether a recovered preferred uplink takes the traffic back. Linux reselects on a slave's
    /// return only for the primary (bond_main.c `bond_miimon_commit`), so an active-backup bond
    /// without one stays where it is.
    static func failsBack(_ team: Team) -> Bool {
        team.policy == .activeBackup ? team.primary != nil && team.failback : team.failback
    }

    /// The stretches that `span` touches.
    public func stretches(overlapping span: TimeSpan) -> [Stretch] {
        stretches.filter { $0.span.overlaps(span) }
    }
}
