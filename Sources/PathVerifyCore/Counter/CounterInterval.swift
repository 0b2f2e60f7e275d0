/// What the interval up to a new sample says about one interface.
public enum CounterInterval: Equatable, Sendable {
    /// The first sample of the interface: nothing to compare it with, so no rates yet.
    case first
    case rates(CounterRates)
    /// A counter went backwards or the ifindex changed: the interface was re-created or its
    /// driver reset its counters. How much flowed before the reset is unknown, so the interval
    /// has no rates; the new sample is the baseline for the next one.
    case reset
    /// The new sample was not taken after the previous one: no rates.
    case noElapsedTime
    /// The interface was not there at this sample.
    case gone

    /// Compares two samples of the same interface name.
    public init(from earlier: CounterSample, to later: CounterSample) {
        guard later.ifindex == earlier.ifindex, let growth = later.counters.growth(since: earlier.counters) else {
            self = .reset
            return
        }
        guard later.monotonicNanoseconds > earlier.monotonicNanoseconds,
            let rates = CounterRates(
                growth: growth, intervalNanoseconds: later.monotonicNanoseconds - earlier.monotonicNanoseconds)
        else {
            self = .noElapsedTime
            return
        }
        self = .rates(rates)
    }

    /// The interval's rates, when it has them.
    public var rates: CounterRates? {
        if case .rates(let rates) = self { return rates }
        return nil
    }
}
