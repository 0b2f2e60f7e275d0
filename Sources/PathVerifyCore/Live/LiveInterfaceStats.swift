/// What a live capture learned about one interface besides its packets: the kernel's own
/// counters over the capture, and how many packets libpcap delivered and dropped.
public struct LiveInterfaceStats: Sendable, Equatable {
    public var name: String
    public var state: OperationalState?
    public var speedMegabitsPerSecond: Int?
    public var kernel: CounterTotals
    /// Packets that passed the capture filter, both directions, the dropped ones included
    /// (libpcap `ps_recv`).
    public var captureReceived: UInt64
    /// Packets the kernel dropped because the capture's ring was full (libpcap `ps_drop`).
    public var captureDropped: UInt64
    /// Why some of the interface's traffic went unseen: it went down or disappeared, or its
    /// capture failed (`interface-down`); `nil` while all is well.
    public var down: String?

    public init(
        name: String, state: OperationalState? = nil, speedMegabitsPerSecond: Int? = nil,
        kernel: CounterTotals = CounterTotals(), captureReceived: UInt64 = 0, captureDropped: UInt64 = 0,
        down: String? = nil
    ) {
        self.down = down
        self.name = name
        self.state = state
        self.speedMegabitsPerSecond = speedMegabitsPerSecond
        self.kernel = kernel
        self.captureReceived = captureReceived
        self.captureDropped = captureDropped
    }
}
