/// A team of uplinks: a Linux bond, or a virtual switch's uplinks, whose policy picks the uplink
/// that carries each flow out of the interfaces that ride on it.
public struct Team: Sendable, Equatable {
    public var name: String
    /// Kernel names of the member uplinks, in the team's order (a bond's slave order, a
    /// vSwitch's failover order).
    public var uplinks: [String]
    public var policy: TeamPolicy
    /// For `explicitFailover`: the uplinks used only when every other one is down, in order.
    /// The other uplinks are the active ones.
    public var standby: [String]
    /// For `explicitFailover` and `activeBackup`: whether traffic returns to a recovered
    /// preferred uplink (VMware's "Failback: Yes", the default).
    public var failback: Bool
    /// For `activeBackup`: the bond's `primary` slave, preferred while it is up.
    public var primary: String?
    /// For a discovered active-backup bond: the slave the kernel had in use when it was read;
    /// a team that does not fail back starts from it.
    public var activeUplink: String? = nil
    /// Kernel names of the interfaces that ride on the team (a bond's master, vmk ports).
    public var interfaces: [String]
    /// Each uplink's capacity in megabits per second, for N-1; `nil` takes the link speed
    /// the kernel reports (meaningless for veth, so a lab gives one).
    public var capacityMegabitsPerSecond: Double?
    /// N-1: a risk when an uplink's failure would load a survivor above this share of its
    /// capacity (1.0 is 100%).
    public var congestionThreshold: Double
    /// `team-imbalance`: raised when one uplink carries more than this share of a hashing
    /// team's bytes.
    public var imbalanceThreshold: Double

    public init(
        name: String, uplinks: [String], policy: TeamPolicy, standby: [String] = [], failback: Bool = true,
        primary: String? = nil, interfaces: [String] = [], capacityMegabitsPerSecond: Double? = nil,
        congestionThreshold: Double = 1.0, imbalanceThreshold: Double = 0.75
    ) {
        self.name = name
        self.uplinks = uplinks
        self.policy = policy
        self.standby = standby
        self.failback = failback
        self.primary = primary
        self.interfaces = interfaces
        self.capacityMegabitsPerSecond = capacityMegabitsPerSecond
        self.congestionThreshold = congestionThreshold
        self.imbalanceThreshold = imbalanceThreshold
    }

    /// The uplinks preferred while up, in order: `uplinks` minus `standby`.
    public var active: [String] { uplinks.filter { !standby.contains($0) } }
}

/// How a team picks an uplink for a flow.
public enum TeamPolicy: Sendable, Equatable, Hashable {
    /// VMware "Use explicit failover order": the first active uplink that is up, else the
    /// first standby one.
    case explicitFailover
    /// VMware "Route based on originating virtual port": one uplink per port (per riding
    /// interface); the function is not published, so only stability is checked.
    case originatingPort
    /// VMware "Route based on source MAC hash": one uplink per source MAC; function not
    /// published, so only stability is checked.
    case sourceMAC
    /// VMware "Route based on IP hash": last octets of source and destination XORed, modulo
    /// the number of uplinks (vSphere 7.0 networking guide, GUID-523FDFBD).
    case ipHash
    /// Linux bonding mode 1: one active slave at a time.
    case activeBackup
    /// Linux bonding mode 2 (`balance-xor`) with its transmit hash policy.
    case balanceXOR(BondHashPolicy)
    /// Linux bonding mode 4 (`802.3ad`, LACP) with its transmit hash policy.
    case lacp(BondHashPolicy)

    /// The name the config uses: `failover`, `port-id`, `source-mac`, `ip-hash`,
    /// `active-backup`, `balance-xor`, `802.3ad`.
    public var name: String {
        switch self {
        case .explicitFailover: "failover"
        case .originatingPort: "port-id"
        case .sourceMAC: "source-mac"
        case .ipHash: "ip-hash"
        case .activeBackup: "active-backup"
        case .balanceXOR: "balance-xor"
        case .lacp: "802.3ad"
        }
    }

    /// The hash policy of a bonding mode that hashes, else `nil`.
    public var hashPolicy: BondHashPolicy? {
        switch self {
        case .balanceXOR(let hash), .lacp(let hash): hash
        default: nil
        }
    }

    /// Whether one uplink carries everything at a time (the others wait).
    public var isFailoverOrder: Bool { self == .explicitFailover || self == .activeBackup }

    /// Whether flows spread over the uplinks by a hash of their headers.
    public var hashes: Bool { self == .ipHash || hashPolicy != nil }
}

/// Linux bonding's `xmit_hash_policy` (Documentation/networking/bonding.rst), with the
/// numbers of `IFLA_BOND_XMIT_HASH_POLICY` and the names sysfs and /proc print.
public enum BondHashPolicy: Int, Sendable, CaseIterable, Hashable {
    case layer2 = 0
    case layer34 = 1
    case layer23 = 2
    case encap23 = 3
    case encap34 = 4
    case vlanSourceMAC = 5

    /// As sysfs and `/proc/net/bonding` print it: `layer3+4`.
    public var name: String {
        switch self {
        case .layer2: "layer2"
        case .layer34: "layer3+4"
        case .layer23: "layer2+3"
        case .encap23: "encap2+3"
        case .encap34: "encap3+4"
        case .vlanSourceMAC: "vlan+srcmac"
        }
    }

    public init?(name: String) {
        guard let policy = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = policy
    }
}
