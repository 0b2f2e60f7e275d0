/// An interface that packets were attributed to, with what it carried.
public struct ObservedInterface: Sendable {
    /// The kernel name, or a label such as `ifindex 7` or `(capture.pcap)` when the input did
    /// not name the interface.
    public var name: String
    /// Whether `name` is a real interface name; packets on unnamed inputs are counted but
    /// cannot be verified.
    public var isNamed: Bool
    public var mac: MACAddress?
    public var outbound = Traffic()
    public var inbound = Traffic()
    public var unknownDirection = Traffic()
    /// When it carried packets; kept only when the config has teams (see `TeamChecker`).
    public var activity = InterfaceActivity()

    public init(name: String, isNamed: Bool, mac: MACAddress?) {
        self.name = name
        self.isNamed = isNamed
        self.mac = mac
    }
}

/// Packets and bytes, summed.
public struct Traffic: Sendable, Equatable {
    public var packets: UInt64 = 0
    public var bytes: UInt64 = 0

    public init(packets: UInt64 = 0, bytes: UInt64 = 0) {
        self.packets = packets
        self.bytes = bytes
    }

    mutating func add(_ flow: FlowRecord) {
        packets += flow.packets
        bytes += flow.bytes
    }

    /// Wrapping adds, as the analysis's own counters: 2^64 packets or bytes cannot happen.
    mutating func add(bytes count: Int) {
        packets &+= 1
        bytes &+= UInt64(truncatingIfNeeded: count)
    }
}
