/// One interface's kernel counters at one moment: the totals since the interface was created.
///
/// The fields are those of `struct rtnl_link_stats64` (linux/if_link.h) that the counter view
/// needs. They are 64-bit on every current kernel, so a decrease means a reset, never a wrap.
public struct InterfaceCounters: Hashable, Sendable {
    /// Good packets received; on hardware interfaces this includes packets the host dropped later.
    public var rxPackets: UInt64
    /// Packets handed to the device for transmission (not counting `txDropped`).
    public var txPackets: UInt64
    public var rxBytes: UInt64
    public var txBytes: UInt64
    /// Packets received but not processed: no buffer space, an unsupported protocol.
    public var rxDropped: UInt64
    /// Packets dropped on their way to transmission.
    public var txDropped: UInt64

    public init(
        rxPackets: UInt64 = 0, txPackets: UInt64 = 0, rxBytes: UInt64 = 0, txBytes: UInt64 = 0,
        rxDropped: UInt64 = 0, txDropped: UInt64 = 0
    ) {
        self.rxPackets = rxPackets
        self.txPackets = txPackets
        self.rxBytes = rxBytes
        self.txBytes = txBytes
        self.rxDropped = rxDropped
        self.txDropped = txDropped
    }

    /// What each counter grew by since `earlier`, or `nil` if any of them went backwards.
    ///
    /// A counter that went backwards was reset (the interface was re-created, or its driver
    /// reset its statistics). It is not treated as a wrap: the counters are 64-bit, and treating
    /// a reset as a 32-bit wrap is what makes other tools report gigabytes that never flowed.
    public func growth(since earlier: InterfaceCounters) -> InterfaceCounters? {
        guard rxPackets >= earlier.rxPackets, txPackets >= earlier.txPackets, rxBytes >= earlier.rxBytes,
            txBytes >= earlier.txBytes, rxDropped >= earlier.rxDropped, txDropped >= earlier.txDropped
        else { return nil }
        return InterfaceCounters(
            rxPackets: rxPackets - earlier.rxPackets, txPackets: txPackets - earlier.txPackets,
            rxBytes: rxBytes - earlier.rxBytes, txBytes: txBytes - earlier.txBytes,
            rxDropped: rxDropped - earlier.rxDropped, txDropped: txDropped - earlier.txDropped)
    }
}
