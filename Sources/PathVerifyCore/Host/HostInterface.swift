/// One network interface of the host, as the kernel reports it when asked.
public struct HostInterface: Hashable, Sendable {
    /// The kernel's name: `eth1`.
    public var name: String
    public var ifindex: Int
    /// `nil` for interfaces without a 6-byte hardware address (tun, IP tunnels).
    public var mac: MACAddress?
    /// Addresses with their prefix lengths, IPv4 first, in the order the kernel lists them.
    public var addresses: [IPPrefix]
    public var operationalState: OperationalState
    /// Administratively up (`IFF_UP`: `ip link set NAME up`), whatever the carrier says.
    public var isUp: Bool
    public var isLoopback: Bool
    /// The link speed the driver reports, or `nil` when it reports none (no carrier, no ethtool
    /// support, `-1`). Virtual devices report a made-up value (veth 10000, a bridge its fastest
    /// port), so this is not a capacity.
    public var speedMegabitsPerSecond: Int?

    public init(
        name: String, ifindex: Int, mac: MACAddress? = nil, addresses: [IPPrefix] = [],
        operationalState: OperationalState = .unknown, isUp: Bool = false, isLoopback: Bool = false,
        speedMegabitsPerSecond: Int? = nil
    ) {
        self.name = name
        self.ifindex = ifindex
        self.mac = mac
        self.addresses = addresses
        self.operationalState = operationalState
        self.isUp = isUp
        self.isLoopback = isLoopback
        self.speedMegabitsPerSecond = speedMegabitsPerSecond
    }

    /// Whether it can carry traffic now: set up, and the kernel does not say its link is down.
    /// (`unknown`, which many virtual devices report, counts as up.)
    public var isLinkUp: Bool {
        isUp && operationalState != .down && operationalState != .lowerLayerDown && operationalState != .notPresent
    }

    /// Whether it holds an address that an operator gave it: IPv6 link-local addresses
    /// (fe80::/10) do not count, since the kernel puts one on every interface that comes up.
    public var holdsConfiguredAddress: Bool {
        addresses.contains { !HostInterface.ipv6LinkLocal.contains($0.address) }
    }

    static let ipv6LinkLocal = IPPrefix(address: IPAddress(ipv6High: 0xFE80_0000_0000_0000, low: 0), length: 10)
}
