import Glibc
import PathVerifyCore
import Synchronization

/// The syslog facility alert lines are sent with: `daemon` unless the admin picks another.
public enum SyslogFacility: String, CaseIterable, Sendable {
    case daemon, user
    case local0, local1, local2, local3, local4, local5, local6, local7

    /// A name given for a facility that is not one of ``allNames``.
    public struct UnknownName: Error, Hashable, Sendable, CustomStringConvertible {
        public var name: String

        public init(name: String) { self.name = name }

        public var description: String {
            "unknown syslog facility '\(name)'; use one of: \(SyslogFacility.allNames.joined(separator: ", "))"
        }
    }

    /// The names accepted by ``init(name:)``, in the order an error lists them.
    public static let allNames = allCases.map(\.rawValue)

    /// The facility called `name` (`daemon`, `user`, `local0` … `local7`; case does not matter).
    public init(name: String) throws(UnknownName) {
        guard let facility = SyslogFacility(rawValue: name.lowercased()) else { throw UnknownName(name: name) }
        self = facility
    }

    /// The facility's code for syslog(3): `LOG_DAEMON`, `LOG_USER`, `LOG_LOCAL0` …, already shifted, so
    /// that it is or-ed with a severity.
    public var code: Int32 {
        switch self {
        case .daemon: return LOG_DAEMON
        case .user: return LOG_USER
        case .local0: return LOG_LOCAL0
        case .local1: return LOG_LOCAL1
        case .local2: return LOG_LOCAL2
        case .local3: return LOG_LOCAL3
        case .local4: return LOG_LOCAL4
        case .local5: return LOG_LOCAL5
        case .local6: return LOG_LOCAL6
        case .local7: return LOG_LOCAL7
        }
    }
}

/// Sends alert lines to syslog, one message per line, without ever making the caller wait.
///
/// glibc's `syslog` sends on a blocking datagram socket: with a stopped or wedged syslog daemon, the
/// sender blocks once the socket's queue is full (`net.unix.max_dgram_qlen`, 10 datagrams on Debian 12),
/// and with it whatever thread called it. So `write` only puts the line in a bounded queue, and one
/// thread of the writer's own delivers the lines in order. When the queue is full the line is dropped
/// and counted in ``lostLines``; once the writer gets through the lines before the gap, it sends
/// `SYSLOG_LOST lines=N` (priority err) in the gap's place.
///
/// Every call into glibc's syslog (`openlog`, `vsyslog`, `closelog`) happens on the writer's thread:
/// glibc serialises them behind one process-wide lock, which a blocked send holds. Make one writer per
/// process that uses the system's syslog; `openlog` state is process-wide.
///
/// ```swift
/// let syslog = try SyslogWriter(facility: try SyslogFacility(name: "local3"))
/// syslog.write("PATH_MISMATCH intent=replication dir=egress expected=eth2 actual=eth0", severity: .warning)
/// // at shutdown:
/// syslog.write("STOP reason=sigterm", severity: .info)
/// _ = syslog.flush(timeoutNanoseconds: 2_000_000_000)
/// syslog.close()
/// ```
public final class SyslogWriter: Sendable {
    /// Delivers one line with a syslog(3) priority (facility code or-ed with a severity level).
    /// It may block; the writer calls it from its own thread only, one line at a time.
    public typealias Delivery = @Sendable (_ priority: Int32, _ line: String) -> Void

    /// Lines held by default: a burst of alerts far beyond what a healthy syslog daemon falls behind by,
    /// at about 200 bytes a line 200 KiB at most.
    public static let defaultCapacity = 1024

    /// The identity glibc puts in front of every message (`pathverify[PID]:`).
    public static let identity = "pathverify"

    public let facility: SyslogFacility
    /// The most lines held at once, waiting or being delivered.
    public let capacity: Int
    private let queue: LineQueue

    /// Starts the writer's thread.
    ///
    /// - Parameters:
    ///   - facility: the facility of every line sent.
    ///   - capacity: the most lines held, waiting or being delivered, before new ones are dropped.
    ///   - deliver: where lines go; `nil` (the default) for the system's syslog: `openlog("pathverify",
    ///     LOG_PID | LOG_NDELAY, facility)` on the writer's thread, then ``systemLog(priority:line:)``
    ///     per line, and `closelog` when the writer stops. Tests pass a fake here.
    /// - Throws: `SystemCallError` when the thread cannot be made (`pthread_create`).
    public init(
        facility: SyslogFacility = .daemon, capacity: Int = SyslogWriter.defaultCapacity, deliver: Delivery? = nil
    ) throws(SystemCallError) {
        self.facility = facility
        self.capacity = max(1, capacity)
        queue = LineQueue(
            capacity: self.capacity, lostPriority: facility.code | LOG_ERR,
            sink: deliver.map { .custom($0) } ?? .system(facility: facility))
        try queue.startThread()
    }

    deinit { close() }

    /// Queues `line` for syslog and returns at once. When the queue is full, or the writer is closed,
    /// the line is dropped and counted in ``lostLines``.
    public func write(_ line: String, severity: AlertSeverity) {
        queue.append(line, priority: Self.priority(of: severity, facility: facility))
    }

    /// Lines dropped since the writer started, reported or not: for the daemon's status and summary.
    public var lostLines: Int { queue.lostLines }

    /// Waits until every queued line, and the report of any loss, has been delivered, or until
    /// `timeoutNanoseconds` have passed.
    /// - Returns: `true` if the queue is empty, `false` if lines were still waiting when the time ran out.
    @discardableResult
    public func flush(timeoutNanoseconds: UInt64) -> Bool {
        queue.waitUntilDrained(deadline: SystemClock.monotonicNanoseconds() &+ timeoutNanoseconds)
    }

    /// Stops the writer: lines still queued are dropped (and counted in ``lostLines``; call ``flush(timeoutNanoseconds:)``
    /// first for a clean stop), later writes are dropped, and the thread ends after the line it is delivering,
    /// calling `closelog` for the system's syslog. Safe to call twice.
    ///
    /// - Parameter timeoutNanoseconds: how long to wait for the thread to end; a thread stuck in a send is
    ///   left to end when the send returns.
    /// - Returns: whether the thread ended within the time.
    @discardableResult
    public func close(timeoutNanoseconds: UInt64 = 1_000_000_000) -> Bool {
        queue.stop(deadline: SystemClock.monotonicNanoseconds() &+ timeoutNanoseconds)
    }

    /// The syslog(3) priority of a line: the facility's code or-ed with the severity's level.
    public static func priority(of severity: AlertSeverity, facility: SyslogFacility) -> Int32 {
        facility.code | level(of: severity)
    }

    /// The syslog(3) level of a severity: `LOG_ERR`, `LOG_WARNING`, `LOG_NOTICE` or `LOG_INFO`.
    public static func level(of severity: AlertSeverity) -> Int32 {
        switch severity {
        case .error: return LOG_ERR
        case .warning: return LOG_WARNING
        case .notice: return LOG_NOTICE
        case .info: return LOG_INFO
        }
    }

    /// Sends one line to the system's syslog (`/dev/log`), with the constant format `"%s"` so that a `%` in
    /// the line is never read as a conversion. May block while the syslog daemon does not read.
    ///
    /// The corresponding C function is `vsyslog`.
    public static func systemLog(priority: Int32, line: String) {
        line.withCString { text in
            withVaList([text]) { arguments in vsyslog(priority, "%s", arguments) }
        }
    }
}

// MARK: The queue and its thread

/// What the writer's thread delivers to.
private enum Sink: Sendable {
    /// glibc's syslog: `openlog` when the thread starts, `closelog` when it ends.
    case system(facility: SyslogFacility)
    case custom(SyslogWriter.Delivery)
}

/// glibc's `openlog` state is process-wide: the writer that opened it last owns it, so an older writer's
/// thread ending late does not `closelog` a newer writer's connection and identity.
private enum SystemLogOwner {
    static let current = Mutex<Int>(0)
    static let opened = Atomic<Int>(0)
    /// glibc keeps the pointer given to `openlog`, not a copy: this one lives as long as the process.
    nonisolated(unsafe) static let identity: UnsafeMutablePointer<CChar>? = strdup(SyslogWriter.identity)

    /// The corresponding C function is `openlog`.
    static func open(facility: SyslogFacility) -> Int {
        let ticket = opened.add(1, ordering: .relaxed).newValue
        current.withLock { owner in
            owner = ticket
            openlog(identity, LOG_PID | LOG_NDELAY, facility.code)
        }
        return ticket
    }

    /// The corresponding C function is `closelog`.
    static func close(ticket: Int) {
        current.withLock { owner in
            guard owner == ticket else { return }
            closelog()
            owner = 0
        }
    }
}

/// The lines between `write` and the writer's thread, guarded by a pthread mutex with two conditions:
/// `work` wakes the thread, `changed` wakes `flush` and `close`.
private final class LineQueue: @unchecked Sendable {
    private enum Delivering {
        case line, lossReport
    }

    private enum Entry {
        case line(priority: Int32, text: String)
        /// Lines dropped at this place in the sequence because the queue was full.
        case lost(count: Int)
    }

    private let capacity: Int
    private let lostPriority: Int32
    private let sink: Sink

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let work = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    // Guarded by `mutex`.
    /// A queue as an array and the index of its head; the delivered prefix is cut off now and then.
    private var entries: [Entry] = []
    private var head = 0
    /// `.line` entries waiting, plus one while a line is being delivered: what `capacity` bounds.
    private var heldLines = 0
    /// What the thread is delivering now, if anything: a held line, or a loss report (which takes no place).
    private var delivering: Delivering?
    private var lost = 0
    private var stopping = false
    private var finished = false

    init(capacity: Int, lostPriority: Int32, sink: Sink) {
        self.capacity = capacity
        self.lostPriority = lostPriority
        self.sink = sink
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits measure against the monotonic clock, which a wall clock step cannot move.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(work, &attributes)
        pthread_cond_init(changed, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(work)
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        work.deallocate()
        changed.deallocate()
        mutex.deallocate()
    }

    /// Starts the thread, which holds the queue until it ends.
    ///
    /// The corresponding C functions are `pthread_create` and `pthread_detach`.
    func startThread() throws(SystemCallError) {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(
            &thread, nil,
            { context in
                // The context is the retained queue passed just above; it is never null.
                guard let context else { return nil }
                Unmanaged<LineQueue>.fromOpaque(context).takeRetainedValue().run()
                return nil
            }, context)
        guard code == 0 else {
            Unmanaged<LineQueue>.fromOpaque(context).release()
            withLock { finished = true }
            throw SystemCallError(call: "pthread_create", errno: code)
        }
        pthread_detach(thread)
    }

    func append(_ text: String, priority: Int32) {
        withLock {
            guard !stopping else {
                lost += 1
                return
            }
            guard heldLines < capacity else {
                lost += 1
                // Mark the gap where it is, after the lines before it: one marker per gap, counting up.
                if entries.count > head, case .lost(let count) = entries[entries.count - 1] {
                    entries[entries.count - 1] = .lost(count: count + 1)
                } else {
                    entries.append(.lost(count: 1))
                    pthread_cond_signal(work)
                }
                return
            }
            entries.append(.line(priority: priority, text: text))
            heldLines += 1
            pthread_cond_signal(work)
        }
    }

    var lostLines: Int { withLock { lost } }

    func waitUntilDrained(deadline: UInt64) -> Bool {
        withLock {
            while !isDrained {
                guard wait(changed, until: deadline) else { return isDrained }
            }
            return true
        }
    }

    func stop(deadline: UInt64) -> Bool {
        withLock {
            if !stopping {
                stopping = true
                let dropped = entries[head...].reduce(0) { sum, entry in
                    if case .line = entry { return sum + 1 }
                    return sum
                }
                lost += dropped
                heldLines -= dropped
                entries = []
                head = 0
                pthread_cond_signal(work)
                pthread_cond_broadcast(changed)
            }
            while !finished {
                guard wait(changed, until: deadline) else { return finished }
            }
            return true
        }
    }

    /// Nothing waiting and nothing being delivered (a stopped writer has nothing left to do).
    private var isDrained: Bool { stopping || (head == entries.count && delivering == nil) }

    /// The writer's thread: delivers entries in order until stopped.
    private func run() {
        // Signals go to the other threads: the daemon's handlers must not depend on this one.
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, nil)

        let deliver: SyslogWriter.Delivery
        var ticket: Int?
        switch sink {
        case .system(let facility):
            ticket = SystemLogOwner.open(facility: facility)
            deliver = { priority, line in SyslogWriter.systemLog(priority: priority, line: line) }
        case .custom(let custom):
            deliver = custom
        }
        while let (priority, text) = next() {
            deliver(priority, text)
        }
        if let ticket { SystemLogOwner.close(ticket: ticket) }
        withLock {
            finished = true
            pthread_cond_broadcast(changed)
        }
    }

    /// Ends the previous delivery and waits for the next entry; `nil` once stopping.
    private func next() -> (Int32, String)? {
        withLock {
            if delivering == .line { heldLines -= 1 }
            delivering = nil
            if head == entries.count { pthread_cond_broadcast(changed) }
            while !stopping && head == entries.count {
                pthread_cond_wait(work, mutex)
            }
            guard !stopping else { return nil }
            let entry = entries[head]
            head += 1
            if head == entries.count {
                entries.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= entries.count {
                // Cut off the delivered prefix once it is at least half the array: amortised O(1) per entry.
                entries.removeFirst(head)
                head = 0
            }
            switch entry {
            case .line(let priority, let text):
                delivering = .line
                return (priority, text)
            case .lost(let count):
                delivering = .lossReport
                return (lostPriority, AlertLine("SYSLOG_LOST", severity: .error, [.init("lines", String(count))]).description)
            }
        }
    }

    private func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits on `condition` (the mutex held) until signalled or `deadline` (CLOCK_MONOTONIC nanoseconds).
    /// - Returns: `false` once the deadline has passed.
    ///
    /// The corresponding C function is `pthread_cond_timedwait`.
    private func wait(_ condition: UnsafeMutablePointer<pthread_cond_t>, until deadline: UInt64) -> Bool {
        guard SystemClock.monotonicNanoseconds() < deadline else { return false }
        var time = timespec(
            tv_sec: Int(clamping: deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        _ = pthread_cond_timedwait(condition, mutex, &time)
        return true
    }
}
