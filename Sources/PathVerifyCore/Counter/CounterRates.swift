/// The rates of one interface over one interval, as esxtop's network panel shows them.
///
/// Built only from two samples whose counters all grew over a non-empty interval; see
/// `CounterInterval` for the other cases.
public struct CounterRates: Equatable, Sendable {
    /// Bits in the megabit of MbTX/s and MbRX/s: 2^20, as esxtop counts (its MbTX/s and average
    /// packet size agree only with 2^20; see the reference's esxtop section).
    public static let bitsPerMegabit: Double = 1_048_576

    /// What each counter grew by over the interval.
    public var growth: InterfaceCounters
    public var intervalNanoseconds: UInt64

    /// `nil` for an empty interval, which has no rates.
    public init?(growth: InterfaceCounters, intervalNanoseconds: UInt64) {
        guard intervalNanoseconds > 0 else { return nil }
        self.growth = growth
        self.intervalNanoseconds = intervalNanoseconds
    }

    public var intervalSeconds: Double { Double(intervalNanoseconds) / 1e9 }

    /// PKTTX/s.
    public var txPacketsPerSecond: Double { Double(growth.txPackets) / intervalSeconds }
    /// PKTRX/s.
    public var rxPacketsPerSecond: Double { Double(growth.rxPackets) / intervalSeconds }
    /// MbTX/s. Computed in floating point so that no byte count can overflow when turned into bits.
    public var txMegabitsPerSecond: Double { Double(growth.txBytes) * 8 / Self.bitsPerMegabit / intervalSeconds }
    /// MbRX/s.
    public var rxMegabitsPerSecond: Double { Double(growth.rxBytes) * 8 / Self.bitsPerMegabit / intervalSeconds }
    /// %DRPTX: dropped packets as a share of the packets the host tried to send (sent plus dropped).
    public var txDroppedPercent: Double { Self.percent(dropped: growth.txDropped, passed: growth.txPackets) }
    /// %DRPRX: dropped packets as a share of received plus dropped. Hardware drivers count some
    /// drops in `rx_packets` too, so this can read slightly low; it never exceeds 100.
    public var rxDroppedPercent: Double { Self.percent(dropped: growth.rxDropped, passed: growth.rxPackets) }

    /// 0 when nothing passed and nothing was dropped: an idle interface drops nothing.
    static func percent(dropped: UInt64, passed: UInt64) -> Double {
        let total = Double(dropped) + Double(passed)
        return total > 0 ? Double(dropped) / total * 100 : 0
    }
}
