/// When an interface carried packets: its busy spans, where a silence of at least `gap` ends
/// a span. A team's failover shows offline as one uplink falling silent while another takes
/// over, which is how `LinkHistory.inferred` reads it.
public struct InterfaceActivity: Sendable {
    /// Silences shorter than this do not split a span: one second, the resolution at which a
    /// live capture samples link state too.
    public static let gapNanoseconds: Int64 = 1_000_000_000
    /// Spans kept; beyond it the last span absorbs the rest (a bound for pathological inputs).
    static let maximumSpans = 4096

    public private(set) var spans: [TimeSpan] = []
    private var current: TimeSpan?

    public init() {}

    /// Notes a packet at `time`. Cheap on the per-packet path: one comparison while a span grows.
    @inline(__always)
    public mutating func note(_ time: Timestamp) {
        if var span = current, time.nanoseconds &- span.end.nanoseconds < Self.gapNanoseconds {
            if time > span.end {
                span.end = time
                current = span
            } else if time < span.start {
                span.start = time
                current = span
            }
            return
        }
        startSpan(at: time)
    }

    private mutating func startSpan(at time: Timestamp) {
        if let span = current {
            if spans.count >= Self.maximumSpans {
                current = TimeSpan(start: span.start, end: max(span.end, time))
                return
            }
            spans.append(span)
        }
        current = TimeSpan(start: time, end: time)
    }

    /// Every busy span, in time order.
    public var allSpans: [TimeSpan] {
        guard let current else { return spans }
        return spans + [current]
    }
}

/// A closed stretch of time.
public struct TimeSpan: Sendable, Equatable, Hashable {
    public var start: Timestamp
    public var end: Timestamp

    public init(start: Timestamp, end: Timestamp) {
        self.start = start
        self.end = end
    }

    public func overlaps(_ other: TimeSpan) -> Bool { start <= other.end && other.start <= end }

    /// Widened by `nanoseconds` on each side.
    public func widened(by nanoseconds: Int64) -> TimeSpan {
        TimeSpan(
            start: Timestamp(nanoseconds: start.nanoseconds &- nanoseconds),
            end: Timestamp(nanoseconds: end.nanoseconds &+ nanoseconds))
    }

    public var seconds: Double { end.seconds(since: start) }
}
