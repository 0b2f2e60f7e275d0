import Glibc
import PathVerifyCore

/// Captures on several interfaces at once until a time, a packet count or a signal says stop.
///
/// Each interface gets two handles, one per direction (see `LiveHandle`); one thread polls
/// them all, with the signal pipe, and hands every packet over with the interface's position
/// in `interfaces` as its `interfaceID`.
public final class LiveCapture {
    /// Why a capture ended.
    public enum End: Equatable, Sendable {
        case duration
        case packetCount
        case signal(Int32)
    }

    /// When to stop; with neither, only a signal ends the capture.
    public struct Limits: Sendable {
        public var durationNanoseconds: UInt64?
        public var packets: Int?

        public init(durationNanoseconds: UInt64? = nil, packets: Int? = nil) {
            self.durationNanoseconds = durationNanoseconds
            self.packets = packets
        }
    }

    public let interfaces: [String]
    private let handles: [(handle: LiveHandle, interface: Int)]

    /// Opens the handles; nothing is captured until `run`.
    /// - Throws: `LiveCaptureError` for the first interface that cannot be captured on, or a
    ///   filter that does not compile for it.
    public init(interfaces: [String], options: LiveCaptureOptions) throws(LiveCaptureError) {
        self.interfaces = interfaces
        var handles: [(LiveHandle, Int)] = []
        for (index, name) in interfaces.enumerated() {
            for direction in [Direction.inbound, .outbound] {
                handles.append((try LiveHandle(interface: name, direction: direction, options: options), index))
            }
        }
        self.handles = handles
    }

    /// The link type of each interface's handles.
    public func linkType(of interface: Int) -> LinkType? {
        handles.first { $0.interface == interface }?.handle.linkType
    }

    /// Captures until `limits` or a signal say stop.
    ///
    /// - Parameters:
    ///   - tickNanoseconds: how often `tick` is called (counter sampling), from the start.
    ///   - body: called for each packet; its bytes are valid until the following `afterDispatch`.
    ///   - afterDispatch: called after each batch a handle delivered.
    public func run(
        limits: Limits, signals: TerminationSignals?, tickNanoseconds: UInt64, tick: () -> Void,
        afterDispatch: () -> Void, _ body: (CaptureRecord) -> Void
    ) throws(LiveCaptureError) -> End {
        let start = SystemClock.monotonicNanoseconds()
        var nextTick = start + tickNanoseconds
        var delivered = 0
        var descriptors = handles.map { pollfd(fd: $0.handle.descriptor, events: Int16(POLLIN), revents: 0) }
        if let signals { descriptors.append(pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0)) }
        func drain() throws(LiveCaptureError) -> Bool {
            for (handle, interface) in handles {
                let count = try handle.dispatch(interfaceID: interface) { record in
                    if let limit = limits.packets, delivered >= limit { return }
                    delivered += 1
                    body(record)
                }
                if count > 0 { afterDispatch() }
                if let limit = limits.packets, delivered >= limit { return true }
            }
            return false
        }
        while true {
            let now = SystemClock.monotonicNanoseconds()
            if let signal = signals?.received() {
                _ = try drain()
                return .signal(signal)
            }
            if let duration = limits.durationNanoseconds, now >= start + duration {
                _ = try drain()
                return .duration
            }
            if now >= nextTick {
                tick()
                nextTick += tickNanoseconds * max(1, (now - nextTick) / tickNanoseconds + 1)
            }
            var wake = nextTick
            if let duration = limits.durationNanoseconds { wake = min(wake, start + duration) }
            // At most 100 ms: the handles' block timeout, so a quiet handle's last packets come through.
            let milliseconds = Int32(clamping: min(100, (wake > now ? wake - now : 0) / 1_000_000 + 1))
            _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            if try drain() { return .packetCount }
        }
    }

    /// libpcap's counts per interface, in `interfaces` order.
    ///
    /// Both of an interface's handles see every frame before libpcap keeps one direction, so
    /// `received` is one handle's count (which includes its drops), and `dropped` the larger of
    /// the two rings' drops. A ring also drops frames of the other direction, which it would have
    /// discarded anyway, so summing both would count the same loss twice (the live benchmark
    /// showed 2x); the larger of the two is what at least one direction certainly lost.
    public func statistics() -> [(received: UInt64, dropped: UInt64)] {
        var totals = Array(repeating: (received: UInt64(0), dropped: UInt64(0)), count: interfaces.count)
        for (handle, interface) in handles {
            guard let stats = handle.statistics() else { continue }
            totals[interface].received = max(totals[interface].received, stats.received)
            totals[interface].dropped = max(totals[interface].dropped, stats.dropped)
        }
        return totals
    }
}
