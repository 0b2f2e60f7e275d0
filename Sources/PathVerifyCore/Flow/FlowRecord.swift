/// One flow's counts on one interface in one direction.
public struct FlowRecord: Sendable {
    public var key: FlowKey
    public var packets: UInt64
    /// Bytes on the wire (original lengths), not captured bytes.
    public var bytes: UInt64
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// The frame addresses of the flow's first packet (absent in Linux cooked captures).
    public var sourceMAC: MACAddress?
    public var destinationMAC: MACAddress?
    /// The index of the intent the flow matched, in the config's order.
    public var intent: Int?

    public init(
        key: FlowKey, packets: UInt64, bytes: UInt64, firstSeen: Timestamp, lastSeen: Timestamp,
        sourceMAC: MACAddress? = nil, destinationMAC: MACAddress? = nil, intent: Int? = nil
    ) {
        self.key = key
        self.packets = packets
        self.bytes = bytes
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sourceMAC = sourceMAC
        self.destinationMAC = destinationMAC
        self.intent = intent
    }
}
