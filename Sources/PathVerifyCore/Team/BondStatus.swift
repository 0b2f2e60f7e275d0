/// A Linux bond as the kernel reports it in `/proc/net/bonding/<bond>`: its mode, its slaves in
/// the bond's order, and which of them can carry traffic now.
///
/// Read by `BondStatusParser`; the format is that of drivers/net/bonding/bond_procfs.c.
public struct BondStatus: Sendable, Equatable {
    /// The bond's kernel name, which is also its file's name (`bond0`).
    public var name: String
    public var mode: BondMode
    /// For active-backup: the `fail_over_mac` policy when it is not `none` (`active`, `follow`).
    public var failOverMAC: String?
    /// The transmit hash policy, printed for the modes that hash (balance-xor, 802.3ad, and
    /// balance-tlb or balance-alb with `tlb_dynamic_lb=0`); `nil` for the others.
    public var hashPolicy: BondHashPolicy?
    /// The `primary` slave (active-backup, balance-tlb, balance-alb), `nil` when unset.
    public var primary: String?
    /// `primary_reselect`, printed only when a primary is set.
    public var primaryReselect: BondPrimaryReselect?
    /// The slave carrying the traffic of an active-backup (or tlb/alb) bond; `nil` when none is.
    public var activeSlave: String?
    /// Whether the bond itself has carrier (at least one usable slave, or `min_links` of them).
    public var miiUp: Bool
    /// For 802.3ad: the aggregator the bond transmits on.
    public var activeAggregator: BondActiveAggregator
    /// The slaves in the bond's list order, which is the order the transmit hash indexes and the
    /// order active-backup falls back through.
    public var slaves: [BondSlave]

    public init(
        name: String, mode: BondMode, failOverMAC: String? = nil, hashPolicy: BondHashPolicy? = nil,
        primary: String? = nil, primaryReselect: BondPrimaryReselect? = nil, activeSlave: String? = nil,
        miiUp: Bool = true, activeAggregator: BondActiveAggregator = .notReported, slaves: [BondSlave] = []
    ) {
        self.name = name
        self.mode = mode
        self.failOverMAC = failOverMAC
        self.hashPolicy = hashPolicy
        self.primary = primary
        self.primaryReselect = primaryReselect
        self.activeSlave = activeSlave
        self.miiUp = miiUp
        self.activeAggregator = activeAggregator
        self.slaves = slaves
    }

    /// The slaves that can transmit now, in order: those whose MII status is up and, for
    /// 802.3ad, that belong to the active aggregator.
    ///
    /// This is the kernel's `usable_slaves` array that balance-xor and 802.3ad index with
    /// `hash % count` (bond_main.c `bond_update_slave_arr`). When the file does not show the
    /// active aggregator (it needs CAP_NET_ADMIN since about Linux 5.x), every slave that is up
    /// is returned, which over-counts if a slave sits in another aggregator.
    public var usableSlaves: [BondSlave] {
        let up = slaves.filter { $0.miiStatus == .up }
        guard mode == .lacp else { return up }
        switch activeAggregator {
        case .notReported: return up
        case .noneActive: return []
        case .active(let aggregator): return up.filter { $0.aggregatorID == aggregator.id }
        }
    }

    /// The bond as a `Team`, for the modes pathverify models: active-backup (with its primary),
    /// balance-xor and 802.3ad (with their hash policy, layer2 when the file gave none, the
    /// module's default).
    ///
    /// balance-rr, broadcast, balance-tlb and balance-alb give `nil`: pathverify does not predict
    /// their uplink choice (round-robin per packet, every slave, or load-driven rebalancing).
    public var team: Team? {
        let policy: TeamPolicy
        switch mode {
        case .activeBackup: policy = .activeBackup
        case .balanceXOR: policy = .balanceXOR(hashPolicy ?? .layer2)
        case .lacp: policy = .lacp(hashPolicy ?? .layer2)
        case .balanceRR, .broadcast, .balanceTLB, .balanceALB: return nil
        }
        var team = Team(
            name: name, uplinks: slaves.map(\.name), policy: policy, failback: primaryFailsBack,
            primary: mode == .activeBackup ? primary : nil, interfaces: [name])
        if mode == .activeBackup { team.activeUplink = activeSlave }
        return team
    }

    /// Whether a recovered primary takes the traffic back: always under `always` (and with no
    /// primary, where nothing is preferred); never under `failure`; under `better` only if it is
    /// faster than any slave that could be current meanwhile (bond_main.c
    /// `bond_choose_primary_or_current` compares with the current slave, and at equal speed
    /// also weighs duplex, which is left out). A primary whose speed is unknown now (its link is
    /// down) is taken as not faster.
    var primaryFailsBack: Bool {
        switch primaryReselect {
        case nil, .always: return primary != nil
        case .failure: return false
        case .better:
            guard let speed = slaves.first(where: { $0.name == primary })?.speedMegabitsPerSecond else { return false }
            return slaves.allSatisfy { $0.name == primary || ($0.speedMegabitsPerSecond ?? 0) < speed }
        }
    }
}

/// The bonding modes, with the numbers of the `mode` option.
public enum BondMode: Int, Sendable, CaseIterable, Hashable {
    case balanceRR = 0
    case activeBackup = 1
    case balanceXOR = 2
    case broadcast = 3
    /// IEEE 802.3ad dynamic link aggregation (LACP).
    case lacp = 4
    case balanceTLB = 5
    case balanceALB = 6

    /// The short name sysfs prints and the `mode` option takes (bond_options.c `bond_mode_tbl`):
    /// `active-backup`, `802.3ad`.
    public var name: String {
        switch self {
        case .balanceRR: "balance-rr"
        case .activeBackup: "active-backup"
        case .balanceXOR: "balance-xor"
        case .broadcast: "broadcast"
        case .lacp: "802.3ad"
        case .balanceTLB: "balance-tlb"
        case .balanceALB: "balance-alb"
        }
    }

    /// The text `/proc/net/bonding` prints after "Bonding Mode: " (bond_main.c `bond_mode_name`).
    public var procName: String {
        switch self {
        case .balanceRR: "load balancing (round-robin)"
        case .activeBackup: "fault-tolerance (active-backup)"
        case .balanceXOR: "load balancing (xor)"
        case .broadcast: "fault-tolerance (broadcast)"
        case .lacp: "IEEE 802.3ad Dynamic link aggregation"
        case .balanceTLB: "transmit load balancing"
        case .balanceALB: "adaptive load balancing"
        }
    }

    /// From the short name (`802.3ad`).
    public init?(name: String) {
        guard let mode = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = mode
    }

    /// From the `/proc` text (`IEEE 802.3ad Dynamic link aggregation`).
    public init?(procName: String) {
        guard let mode = Self.allCases.first(where: { $0.procName == procName }) else { return nil }
        self = mode
    }
}

/// `primary_reselect`: when a recovered primary slave takes the traffic back (bonding.rst).
public enum BondPrimaryReselect: String, Sendable, CaseIterable, Hashable {
    /// As soon as it is up again (the default).
    case always
    /// Only if it is faster, or as fast with a better duplex, than the current slave.
    case better
    /// Only when the current slave fails.
    case failure
}

/// For 802.3ad: what the file says of the aggregator the bond transmits on.
public enum BondActiveAggregator: Sendable, Equatable {
    /// Not shown: not 802.3ad, or the reader lacked CAP_NET_ADMIN (newer kernels print the
    /// aggregator only then).
    case notReported
    /// "bond0 has no active aggregator": nothing can be sent.
    case noneActive
    case active(BondAggregator)
}

/// The "Active Aggregator Info" of an 802.3ad bond.
public struct BondAggregator: Sendable, Equatable {
    public var id: Int
    public var numberOfPorts: Int
    public var actorKey: Int
    public var partnerKey: Int
    /// The link partner's system MAC (all zeros when no partner answers LACP).
    public var partnerMAC: MACAddress?

    public init(id: Int, numberOfPorts: Int, actorKey: Int, partnerKey: Int, partnerMAC: MACAddress?) {
        self.id = id
        self.numberOfPorts = numberOfPorts
        self.actorKey = actorKey
        self.partnerKey = partnerKey
        self.partnerMAC = partnerMAC
    }
}

/// One slave of a bond.
public struct BondSlave: Sendable, Equatable {
    public var name: String
    public var miiStatus: BondLinkStatus
    /// `nil` when the kernel prints "Unknown" (no link, or a driver without link settings).
    public var speedMegabitsPerSecond: Int?
    /// `nil` when the kernel prints "Unknown".
    public var fullDuplex: Bool?
    /// How often the bond saw this slave's link fail since it was enslaved.
    public var linkFailureCount: Int
    /// The slave's own MAC, which the bond may have overwritten on the device; `nil` if the
    /// address is not a 6-byte MAC (InfiniBand).
    public var permanentMAC: MACAddress?
    public var queueID: Int?
    /// For 802.3ad: the aggregator the slave's port is attached to; `nil` when none ("N/A").
    public var aggregatorID: Int?

    public init(
        name: String, miiStatus: BondLinkStatus, speedMegabitsPerSecond: Int? = nil, fullDuplex: Bool? = nil,
        linkFailureCount: Int = 0, permanentMAC: MACAddress? = nil, queueID: Int? = nil, aggregatorID: Int? = nil
    ) {
        self.name = name
        self.miiStatus = miiStatus
        self.speedMegabitsPerSecond = speedMegabitsPerSecond
        self.fullDuplex = fullDuplex
        self.linkFailureCount = linkFailureCount
        self.permanentMAC = permanentMAC
        self.queueID = queueID
        self.aggregatorID = aggregatorID
    }
}

/// A slave's link state as the bond's monitor sees it, with the words of bond_main.c
/// `bond_slave_link_status`.
public enum BondLinkStatus: String, Sendable, CaseIterable, Hashable {
    case up = "up"
    /// Failed, waiting out `downdelay` (BOND_LINK_FAIL).
    case goingDown = "going down"
    case down = "down"
    /// Back, waiting out `updelay` (BOND_LINK_BACK).
    case goingBack = "going back"
    /// The kernel's word for a state outside the four above.
    case unknown = "unknown"
}

/// Tells which bonds the host has and what the kernel reports of each.
///
/// Implementers read the running system (`ProcBondSource`) or return values a test made. A host
/// without the bonding driver has no bonds; that is not an error.
public protocol BondStatusSource {
    /// Every bond of the host (its network namespace), by name.
    func bonds() throws -> [BondStatus]
}
