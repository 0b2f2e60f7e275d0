/// The header fields that a team's transmit hash reads, taken from one flow's packets.
public struct TeamHashInput: Sendable, Equatable {
    /// Frame addresses; `nil` when the capture did not keep them (Linux cooked captures).
    public var sourceMAC: MACAddress?
    public var destinationMAC: MACAddress?
    /// The outer VLAN ID, 0 when untagged.
    public var vlan: UInt16
    public var source: IPAddress
    public var destination: IPAddress
    /// 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6.
    public var ipProtocol: UInt8
    /// Transport ports; for ICMP and ICMPv6 the flow key's `type << 8 | code` is in
    /// `destinationPort` and `sourcePort` is 0.
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Any fragment of a fragmented datagram, the first included: the kernel hashes them with
    /// no ports.
    public var isFragment: Bool

    public init(
        sourceMAC: MACAddress?, destinationMAC: MACAddress?, vlan: UInt16 = 0, source: IPAddress,
        destination: IPAddress, ipProtocol: UInt8, sourcePort: UInt16 = 0, destinationPort: UInt16 = 0,
        isFragment: Bool = false
    ) {
        self.sourceMAC = sourceMAC
        self.destinationMAC = destinationMAC
        self.vlan = vlan
        self.source = source
        self.destination = destination
        self.ipProtocol = ipProtocol
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.isFragment = isFragment
    }
}
