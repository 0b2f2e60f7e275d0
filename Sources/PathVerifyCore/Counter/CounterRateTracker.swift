/// Keeps the previous sample of each interface and turns each new one into an interval.
///
/// The newest sample always becomes the baseline, after a reset too: rates restart from the
/// new values at the next sample instead of staying unknown.
public struct CounterRateTracker: Sendable {
    private var previous: [String: CounterSample] = [:]

    public init() {}

    /// Records a new sample of the interface `name` and says what the interval up to it shows.
    /// - Parameter sample: `nil` when the interface was not there; it then starts over, as new,
    ///   if it comes back.
    public mutating func observe(_ name: String, _ sample: CounterSample?) -> CounterInterval {
        guard let sample else {
            previous[name] = nil
            return .gone
        }
        defer { previous[name] = sample }
        guard let earlier = previous[name] else { return .first }
        return CounterInterval(from: earlier, to: sample)
    }
}
