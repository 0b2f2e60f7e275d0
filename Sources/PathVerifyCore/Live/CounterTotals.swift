/// The kernel counters' growth over a whole capture, summed interval by interval.
///
/// Summing intervals, rather than subtracting the first sample from the last, keeps a counter
/// reset in the middle from spoiling the rest: only the interval with the reset is lost, and
/// it is counted in `resets`.
public struct CounterTotals: Sendable, Equatable {
    public private(set) var growth = InterfaceCounters()
    public private(set) var nanoseconds: UInt64 = 0
    /// Intervals that had no rates because a counter went backwards or the interface vanished.
    public private(set) var resets = 0

    public init() {}

    public mutating func add(_ interval: CounterInterval) {
        switch interval {
        case .rates(let rates):
            growth.rxPackets += rates.growth.rxPackets
            growth.txPackets += rates.growth.txPackets
            growth.rxBytes += rates.growth.rxBytes
            growth.txBytes += rates.growth.txBytes
            growth.rxDropped += rates.growth.rxDropped
            growth.txDropped += rates.growth.txDropped
            nanoseconds += rates.intervalNanoseconds
        case .reset, .gone:
            resets += 1
        case .first, .noElapsedTime:
            break
        }
    }

    /// The rates over the whole capture, or `nil` before two samples.
    public var rates: CounterRates? { CounterRates(growth: growth, intervalNanoseconds: nanoseconds) }
}
