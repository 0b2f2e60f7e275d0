import CSystemd
import Glibc
import Synchronization

/// Tells the service manager how the daemon is doing: started, reloading, stopping, still alive.
///
/// A protocol so that the daemon can be tested with a fake that records the calls.
public protocol ServiceNotifying: Sendable {
    /// Whether anyone listens; when `false`, every other call does nothing.
    var isActive: Bool { get }
    /// Start-up (or a reload) is complete: every interface is open and its filter compiled.
    func ready(status: String)
    /// A one-line state for `systemctl status`, e.g. "capturing eth1,eth2; 0 mismatches".
    func status(_ text: String)
    /// A reload began; call `ready(status:)` when it is done.
    func reloading()
    /// Shutdown began.
    func stopping()
    /// The capture loop is alive; call it on every tick; it pings only as often as needed.
    func watchdog(nowNanoseconds: UInt64)
}

/// `ServiceNotifying` through systemd's notification socket (`NOTIFY_SOCKET`), for `Type=notify` units.
///
/// The datagrams are sd_notify(3)'s `KEY=value` lines. Without `NOTIFY_SOCKET` (run by hand, or by another service
/// manager) everything is a no-op. Sending never blocks for long: the socket is a datagram socket and systemd
/// reads it at once.
///
/// A failed send is dropped: it means the manager is gone or the message was refused, and the daemon can do
/// nothing about either; systemd reports the missing notification itself (start timeout, watchdog timeout).
public final class SystemdNotifier: ServiceNotifying {
    public let isActive: Bool
    /// How long systemd waits for a `WATCHDOG=1` before it kills the daemon (`WatchdogSec=`), or `nil` when the
    /// watchdog is off or meant for another process (`WATCHDOG_PID`).
    public let watchdogInterval: Duration?
    /// Half the watchdog interval, in nanoseconds: the spacing of the pings (sd_watchdog_enabled(3) advises half).
    private let pingSpacingNanoseconds: UInt64
    /// The `nowNanoseconds` of the last `WATCHDOG=1` sent, or `nil` before the first.
    private let lastPing = Mutex<UInt64?>(nil)

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` once, now. (`sd_notify` reads `NOTIFY_SOCKET` again
    /// on every send, so leave the environment as systemd set it.)
    ///
    /// The corresponding C function is `sd_watchdog_enabled`.
    public init() {
        isActive = getenv("NOTIFY_SOCKET") != nil
        var microseconds: UInt64 = 0
        // > 0: enabled for this process; 0: off or for another PID; < 0: a malformed WATCHDOG_USEC, also off.
        if isActive, sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 {
            watchdogInterval = .microseconds(microseconds)
        } else {
            watchdogInterval = nil
        }
        let (nanoseconds, overflow) = microseconds.multipliedReportingOverflow(by: 1_000)
        pingSpacingNanoseconds = (overflow ? .max : nanoseconds) / 2
    }

    public func ready(status text: String) {
        send("READY=1\nSTATUS=" + Self.oneLine(text))
    }

    public func status(_ text: String) {
        send("STATUS=" + Self.oneLine(text))
    }

    public func reloading() {
        send("RELOADING=1")
    }

    public func stopping() {
        send("STOPPING=1")
    }

    /// Sends `WATCHDOG=1` on the first call and then once half the watchdog interval has passed since the last
    /// ping, so that a tick a second costs one datagram per half interval.
    /// - Parameter nowNanoseconds: a monotonic clock reading, e.g. `SystemClock.monotonicNanoseconds()`.
    public func watchdog(nowNanoseconds now: UInt64) {
        guard watchdogInterval != nil else { return }
        let due = lastPing.withLock { last in
            // A reading before the last ping (not monotonic) also pings: a spare ping is harmless, a missed one is not.
            if let previous = last, previous <= now, now - previous < pingSpacingNanoseconds { return false }
            last = now
            return true
        }
        if due { send("WATCHDOG=1") }
    }

    /// The corresponding C function is `sd_notify`.
    private func send(_ message: String) {
        guard isActive else { return }
        _ = sd_notify(0, message)
    }

    /// `text` as one line of printable ASCII: a newline would start a new `KEY=value` assignment, and systemd
    /// shows STATUS as it is.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? $0 : "?" }))
    }
}
