/// When each uplink was down during a stretch of traffic, and how fast each link is.
///
/// Live, it is recorded from the link state the kernel reports each second (`observe`).
/// Offline nothing says when a link was down, so `inferred` reads it from the traffic: an
/// uplink that falls silent for at least `InterfaceActivity.gapNanoseconds` counts as down
/// for that silence. That is how a failover looks in per-uplink captures, and it is an
/// inference: a link that was up but idle reads the same. Each finding says which it used.
public struct LinkHistory: Sendable, Equatable {
    /// Down spans per interface; a span still open at the end runs to `Timestamp.distantFuture`.
    public private(set) var downSpans: [String: [TimeSpan]] = [:]
    /// Link speeds in megabits per second, from the kernel, for N-1 where the config gives none.
    public var speeds: [String: Double] = [:]
    /// Whether the spans come from the kernel's link state (`observe` was called) rather than
    /// from silences; a history nobody observed into is read as offline.
    public private(set) var isObserved = false

    public init() {}

    /// Records an interface's link state at `time`: down opens a span, up closes it.
    public mutating func observe(_ name: String, up: Bool, at time: Timestamp) {
        isObserved = true
        var spans = downSpans[name] ?? []
        let open = spans.last.map { $0.end == .distantFuture } ?? false
        if up, open {
            spans[spans.count - 1].end = time
        } else if !up, !open {
            spans.append(TimeSpan(start: time, end: .distantFuture))
        }
        downSpans[name] = spans
    }

    /// Forgets the spans that ended before `time`, so a long-running daemon keeps only what its
    /// next window can touch.
    public mutating func forget(before time: Timestamp) {
        for (name, spans) in downSpans { downSpans[name] = spans.filter { $0.end >= time } }
    }

    /// Whether `name` was down at some moment of `span`.
    public func wasDown(_ name: String, during span: TimeSpan) -> Bool {
        downSpans[name]?.contains { $0.overlaps(span) } ?? false
    }

    /// The down spans read from traffic: each uplink's silences within `span` (the capture's
    /// first and last packet) that are at least the activity gap long; an uplink that carried
    /// nothing at all is down throughout.
    public static func inferred(uplinks: [String], activity: [String: [TimeSpan]], span: TimeSpan) -> LinkHistory {
        var history = LinkHistory()
        for uplink in uplinks {
            var cursor = span.start
            var silences: [TimeSpan] = []
            for busy in activity[uplink] ?? [] {
                if busy.start.nanoseconds - cursor.nanoseconds >= InterfaceActivity.gapNanoseconds {
                    silences.append(TimeSpan(start: cursor, end: busy.start))
                }
                cursor = max(cursor, busy.end)
            }
            if span.end.nanoseconds - cursor.nanoseconds >= InterfaceActivity.gapNanoseconds || activity[uplink] == nil {
                silences.append(TimeSpan(start: cursor, end: .distantFuture))
            }
            if !silences.isEmpty { history.downSpans[uplink] = silences }
        }
        return history
    }
}

extension Timestamp {
    public static let distantFuture = Timestamp(nanoseconds: .max)
    public static let distantPast = Timestamp(nanoseconds: .min)
}
