import Glibc
import PathVerifyCore

/// Captures on several interfaces at once until a time, a packet count or a signal says stop.
///
/// Each interface gets two handles, one per direction (see `LiveHandle`); one thread polls
/// them all, with the signal pipe, and hands every packet over with the interface's position
/// in `interfaces` as its `interfaceID`.
///
/// An interface whose capture fails (it went down, it was deleted) is closed and left out, and
/// the others go on: `failures` says why, and `reopen` tries again. The daemon reopens from
/// its tick; `reconcile` changes the set of interfaces and keeps the handles of the ones that stay.
public final class LiveCapture {
    /// The handles' block timeout (`pcap_set_timeout`): a TPACKET_V3 ring hands a block that is
    /// still filling to userland after this long, so packets reach the analysis within it.
    static let blockTimeoutNanoseconds: UInt64 = 100_000_000

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

    /// One interface's capture: its two handles while it runs, and what went before.
    private struct Slot {
        var name: String
        var handles: [LiveHandle] = []
        /// The kernel's index when the handles opened: a re-created interface gets a new one.
        var ifindex: UInt32 = 0
        var failure: LiveCaptureError?
        /// libpcap's counts of handles closed since, so that the totals only grow.
        var closedReceived: UInt64 = 0
        var closedDropped: UInt64 = 0
    }

    private let options: LiveCaptureOptions
    private var slots: [Slot] { didSet { generation &+= 1 } }
    /// Changes whenever `slots` does (a handle opened or closed), so that `run` polls the right ones.
    private var generation = 0

    public var interfaces: [String] { slots.map(\.name) }

    /// Opens the handles; nothing is captured until `run`.
    /// - Parameter tolerateFailures: keep going when an interface cannot be opened (the daemon:
    ///   `failures` says why, `reopen` tries again); otherwise the first failure throws.
    /// - Throws: `LiveCaptureError` for the first interface that cannot be captured on, or a
    ///   filter that does not compile for it.
    public init(interfaces: [String], options: LiveCaptureOptions, tolerateFailures: Bool = false) throws(LiveCaptureError) {
        self.options = options
        slots = interfaces.map { Slot(name: $0) }
        for index in slots.indices {
            do {
                try reopen(index)
            } catch where tolerateFailures {
                continue
            }
        }
    }

    /// The link type of an interface's handles, while they are open.
    public func linkType(of interface: Int) -> LinkType? { slots[interface].handles.first?.linkType }

    /// The kernel's index of the interface when its handles opened; 0 while they are closed.
    public func ifindex(of interface: Int) -> UInt32 { slots[interface].ifindex }

    /// Why an interface's capture is closed, if it is.
    public func failure(of interface: Int) -> LiveCaptureError? { slots[interface].failure }

    /// Whether the interface's handles are open.
    public func isOpen(_ interface: Int) -> Bool { !slots[interface].handles.isEmpty }

    /// Opens the interface's handles again (or for the first time), closing any it had.
    public func reopen(_ interface: Int) throws(LiveCaptureError) {
        close(interface, because: nil)
        let name = slots[interface].name
        do {
            let handles = try [Direction.inbound, .outbound].map { direction throws(LiveCaptureError) in
                try LiveHandle(interface: name, direction: direction, options: options)
            }
            slots[interface].handles = handles
            slots[interface].ifindex = if_nametoindex(name)
            slots[interface].failure = nil
        } catch {
            slots[interface].failure = error
            throw error
        }
    }

    /// Changes the interfaces captured on: the ones that stay keep their handles (and their
    /// position's packets keep flowing), new ones are opened, the rest closed.
    /// - Returns: the names kept, opened and closed; `failed` those that could not be opened.
    public func reconcile(_ names: [String]) -> (kept: [String], opened: [String], closed: [String], failed: [LiveCaptureError]) {
        let old = slots
        let closed = old.map(\.name).filter { !names.contains($0) }
        var kept: [String] = []
        var opened: [String] = []
        var failed: [LiveCaptureError] = []
        slots = names.map { name in old.first { $0.name == name } ?? Slot(name: name) }
        for index in slots.indices {
            if !slots[index].handles.isEmpty {
                kept.append(slots[index].name)
                continue
            }
            do {
                try reopen(index)
                opened.append(slots[index].name)
            } catch {
                failed.append(error)
            }
        }
        return (kept, opened, closed, failed)
    }

    /// Captures until `limits` or a signal say stop.
    ///
    /// - Parameters:
    ///   - tickNanoseconds: how often `tick` is called (counter sampling, the daemon's health
    ///     checks), from the start. `tick` may `reopen` interfaces.
    ///   - onFailure: called when an interface's capture fails; it is closed and the others go on.
    ///   - body: called for each packet; its bytes are valid until the following `afterDispatch`.
    ///   - afterDispatch: called after each batch a handle delivered.
    public func run(
        limits: Limits, signals: TerminationSignals?, tickNanoseconds: UInt64, tick: () -> Void,
        onFailure: (LiveCaptureError) -> Void = { _ in }, afterDispatch: () -> Void, _ body: (CaptureRecord) -> Void
    ) -> End {
        let start = SystemClock.monotonicNanoseconds()
        var nextTick = start + tickNanoseconds
        var delivered = 0
        var polled = PollSet(handles: [], generation: generation &- 1)
        /// Hands over the packets of the handles `poll` found readable (or failing), or of all.
        func drain(all: Bool = false) -> Bool {
            for (position, entry) in polled.handles.enumerated() where all || polled.descriptors[position].revents != 0 {
                // libpcap takes a count of 0 as "no limit".
                if let limit = limits.packets, delivered >= limit { return true }
                // Closed by an earlier failure in this round.
                guard slots[entry.interface].handles.contains(where: { $0 === entry.handle }) else { continue }
                let count: Int
                do {
                    // The limit goes to libpcap (its count), not into a closure around `body`:
                    // a variable that closure updated cost two exclusivity checks a packet.
                    count = try entry.handle.dispatch(
                        interfaceID: entry.interface, limit: limits.packets.map { $0 - delivered }, body)
                    delivered += count
                } catch {
                    afterDispatch()
                    close(entry.interface, because: error)
                    onFailure(error)
                    continue
                }
                if count > 0 { afterDispatch() }
            }
            if let limit = limits.packets, delivered >= limit { return true }
            return false
        }
        /// Waits until a handle is readable, the signal pipe is, or `milliseconds` passed.
        func wait(milliseconds: Int32, signalsToo: Bool) {
            if polled.generation != generation {
                polled = PollSet(
                    handles: slots.indices.flatMap { index in slots[index].handles.map { (index, $0) } },
                    generation: generation)
            }
            polled.descriptors.removeLast(polled.descriptors.count - polled.handles.count)
            if signalsToo, let signals { polled.descriptors.append(pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0)) }
            _ = poll(&polled.descriptors, nfds_t(polled.descriptors.count), milliseconds)
        }
        // The packets of a ring block that is still filling reach userland only once the block
        // times out: wait that long before the last drain, so that the end loses nothing.
        func finish() {
            let deadline = SystemClock.monotonicNanoseconds() + Self.blockTimeoutNanoseconds + 10_000_000
            while case let now = SystemClock.monotonicNanoseconds(), now < deadline {
                wait(milliseconds: Int32(clamping: (deadline - now) / 1_000_000 + 1), signalsToo: false)
                if drain() { return }
            }
            _ = drain(all: true)
        }
        while true {
            let now = SystemClock.monotonicNanoseconds()
            if let signal = signals?.received() {
                finish()
                return .signal(signal)
            }
            // A tick that is due runs before the end, so that a window as long as the tick still has one.
            if now >= nextTick {
                // libpcap's 32-bit counts, read before they can wrap unseen (see LiveHandle.statistics).
                _ = statistics()
                tick()
                nextTick += tickNanoseconds * max(1, (now - nextTick) / tickNanoseconds + 1)
            }
            if let duration = limits.durationNanoseconds, now >= start + duration {
                finish()
                return .duration
            }
            var wake = nextTick
            if let duration = limits.durationNanoseconds { wake = min(wake, start + duration) }
            // No shorter: a ring block with packets in it makes its handle readable when it times
            // out, so a quiet handle's last packets wake the poll by themselves.
            wait(milliseconds: Int32(clamping: (wake > now ? wake - now : 0) / 1_000_000 + 1), signalsToo: true)
            if drain() { return .packetCount }
        }
    }

    /// What `run` polls: each open handle, with its interface's position, and the descriptors
    /// in the same order (then the signal pipe's). Rebuilt only when the handles changed.
    private struct PollSet {
        let handles: [(interface: Int, handle: LiveHandle)]
        var descriptors: [pollfd]
        /// `LiveCapture.generation` when it was built.
        let generation: Int

        init(handles: [(interface: Int, handle: LiveHandle)], generation: Int) {
            self.handles = handles
            self.generation = generation
            descriptors = handles.map { pollfd(fd: $0.handle.descriptor, events: Int16(POLLIN), revents: 0) }
        }
    }

    /// Closes an interface's handles, keeping their counts; `because` is kept as its failure.
    private func close(_ interface: Int, because failure: LiveCaptureError?) {
        let counts = Self.counts(of: slots[interface].handles)
        slots[interface].closedReceived += counts.received
        slots[interface].closedDropped += counts.dropped
        slots[interface].handles = []
        slots[interface].ifindex = 0
        if let failure { slots[interface].failure = failure }
    }

    /// libpcap's counts per interface, in `interfaces` order, since its first handles opened:
    /// the sums of its two handles, each of which sees one direction (see `LiveHandle`).
    public func statistics() -> [(received: UInt64, dropped: UInt64)] {
        slots.map { slot in
            let open = Self.counts(of: slot.handles)
            return (slot.closedReceived + open.received, slot.closedDropped + open.dropped)
        }
    }

    /// One interface's counts: the sums of its handles'.
    private static func counts(of handles: [LiveHandle]) -> (received: UInt64, dropped: UInt64) {
        var counts: (received: UInt64, dropped: UInt64) = (0, 0)
        for handle in handles {
            guard let stats = handle.statistics() else { continue }
            counts = (counts.received + stats.received, counts.dropped + stats.dropped)
        }
        return counts
    }
}
