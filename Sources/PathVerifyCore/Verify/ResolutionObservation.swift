/// ARP replies or NDP advertisements that claimed one address with one MAC, on one interface.
public struct ResolutionObservation: Sendable, Hashable {
    public var address: IPAddress
    public var mac: MACAddress?
    /// Kernel name of the interface they were seen on; `nil` when the input did not name it.
    public var interface: String?
    public var direction: Direction
    public var packets: UInt64
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp

    public init(
        address: IPAddress, mac: MACAddress?, interface: String?, direction: Direction, packets: UInt64,
        firstSeen: Timestamp, lastSeen: Timestamp
    ) {
        self.address = address
        self.mac = mac
        self.interface = interface
        self.direction = direction
        self.packets = packets
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
