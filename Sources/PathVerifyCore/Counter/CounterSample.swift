/// One reading of one interface: its counters, which interface it was, and when.
public struct CounterSample: Hashable, Sendable {
    /// The interface's ifindex at the reading; a new ifindex under the same name means the
    /// interface was deleted and created again, so its counters started over.
    public var ifindex: Int
    public var operationalState: OperationalState
    public var counters: InterfaceCounters
    /// When the counters were read, on a monotonic clock (CLOCK_MONOTONIC): only the
    /// difference between two samples means anything.
    public var monotonicNanoseconds: UInt64

    public init(
        ifindex: Int, operationalState: OperationalState, counters: InterfaceCounters, monotonicNanoseconds: UInt64
    ) {
        self.ifindex = ifindex
        self.operationalState = operationalState
        self.counters = counters
        self.monotonicNanoseconds = monotonicNanoseconds
    }
}
