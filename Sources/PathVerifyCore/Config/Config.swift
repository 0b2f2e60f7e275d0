/// What the operator told pathverify: the host's interfaces, the intents for its traffic, and
/// the teams of uplinks that interfaces ride on.
///
/// A config may list interfaces and no intents: address ownership alone then drives the checks.
public struct Config: Sendable, Equatable {
    public var interfaces: [InterfaceConfig]
    public var intents: [Intent]
    public var teams: [Team]

    public init(interfaces: [InterfaceConfig] = [], intents: [Intent] = [], teams: [Team] = []) {
        self.interfaces = interfaces
        self.intents = intents
        self.teams = teams
    }

    /// The team that has this uplink as a member.
    public func team(withUplink name: String) -> Team? {
        teams.first { $0.uplinks.contains(name) }
    }

    /// The interface with this kernel name or alias.
    public func interface(named nameOrAlias: String) -> InterfaceConfig? {
        interfaces.first { $0.name == nameOrAlias } ?? interfaces.first { $0.alias == nameOrAlias }
    }
}

/// One interface of the host, as the operator names it.
public struct InterfaceConfig: Sendable, Equatable {
    /// The kernel's name, as `ip link` shows it: `eth1`.
    public var name: String
    /// The operator's name for it: `vmk2`.
    public var alias: String?
    /// What it is for: `vMotion-2`.
    public var role: String?
    /// Its addresses with prefix lengths: `10.99.0.12/24`.
    public var addresses: [IPPrefix]
    public var mac: MACAddress?
    /// The ifindex that Linux cooked (SLL2) captures record for it.
    public var ifindex: Int?

    public init(
        name: String, alias: String? = nil, role: String? = nil, addresses: [IPPrefix] = [], mac: MACAddress? = nil,
        ifindex: Int? = nil
    ) {
        self.name = name
        self.alias = alias
        self.role = role
        self.addresses = addresses
        self.mac = mac
        self.ifindex = ifindex
    }
}

/// A kind of traffic and the path it is meant to take.
public struct Intent: Sendable, Equatable {
    public var name: String
    public var selector: IntentSelector
    /// Kernel name of the interface the traffic should leave by; `nil` means not checked.
    public var expectedEgress: String?
    /// Kernel name of the interface the traffic should arrive on; `nil` means not checked.
    public var expectedIngress: String?

    public init(name: String, selector: IntentSelector, expectedEgress: String? = nil, expectedIngress: String? = nil) {
        self.name = name
        self.selector = selector
        self.expectedEgress = expectedEgress
        self.expectedIngress = expectedIngress
    }
}

/// Which packets an intent covers.
///
/// A selector describes a conversation, so it matches a packet in either orientation: forward
/// (source in `sources`, destination in `destinations`) or reverse. Empty lists match anything.
/// `ports` match either port of the packet. A `bpf` expression, when present, must match too.
public struct IntentSelector: Sendable, Equatable {
    /// IP protocol numbers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6); empty matches any.
    public var protocols: [UInt8]
    public var ports: [ClosedRange<UInt16>]
    public var sources: [IPPrefix]
    public var destinations: [IPPrefix]
    /// A tcpdump-style filter (pcap-filter(7)), compiled by libpcap in the platform layer.
    public var bpf: String?

    public init(
        protocols: [UInt8] = [], ports: [ClosedRange<UInt16>] = [], sources: [IPPrefix] = [],
        destinations: [IPPrefix] = [], bpf: String? = nil
    ) {
        self.protocols = protocols
        self.ports = ports
        self.sources = sources
        self.destinations = destinations
        self.bpf = bpf
    }
}
