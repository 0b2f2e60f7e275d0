import Glibc
import PathVerifyTestSupport
import Testing

@testable import PathVerifyLinux

/// `SystemdNotifier` against a fake `NOTIFY_SOCKET`: a datagram socket bound at a temporary path, as systemd binds one.
///
/// Serialized, because the notifier reads the process's environment, which these tests set and restore.
@Suite(.serialized) struct SystemdNotifierTests {
    typealias Listener = NotifySocket

    static let variables = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]

    /// Runs `body` with `settings` as the only notify variables set, and then restores what was there before.
    static func withEnvironment<T>(_ settings: [String: String], _ body: () throws -> T) rethrows -> T {
        let saved = variables.map { name in (name, getenv(name).map { String(cString: $0) }) }
        defer {
            for (name, value) in saved {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        for name in variables { unsetenv(name) }
        for (name, value) in settings { setenv(name, value, 1) }
        return try body()
    }

    @Test func lifecycleMessagesArriveAsSent() throws {
        let listener = try Listener()
        Self.withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            let notifier = SystemdNotifier()
            #expect(notifier.isActive)
            #expect(notifier.watchdogInterval == nil)

            notifier.ready(status: "capturing eth1,eth2; 0 mismatches")
            notifier.status("capturing eth1,eth2; 3 mismatches")
            notifier.reloading()
            notifier.ready(status: "reloaded")
            notifier.stopping()
            notifier.watchdog(nowNanoseconds: 1)

            #expect(
                listener.received() == [
                    "READY=1\nSTATUS=capturing eth1,eth2; 0 mismatches",
                    "STATUS=capturing eth1,eth2; 3 mismatches",
                    "RELOADING=1",
                    "READY=1\nSTATUS=reloaded",
                    "STOPPING=1",
                ])
        }
    }

    @Test func statusIsOneLineOfASCII() throws {
        let listener = try Listener()
        Self.withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            SystemdNotifier().status("eth1 down\nREADY=1\té")
            #expect(listener.received() == ["STATUS=eth1 down?READY=1??"])
        }
    }

    @Test func watchdogPingsOnlyEveryHalfInterval() throws {
        let listener = try Listener()
        // WatchdogSec=30s sets WATCHDOG_USEC=30000000: pings 15 s apart.
        Self.withEnvironment(["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "30000000"]) {
            let notifier = SystemdNotifier()
            #expect(notifier.watchdogInterval == .seconds(30))
            let second: UInt64 = 1_000_000_000
            let start: UInt64 = 1_000 * second

            notifier.watchdog(nowNanoseconds: start)
            #expect(listener.received() == ["WATCHDOG=1"], "the first tick pings")
            for tick in 1...14 {
                notifier.watchdog(nowNanoseconds: start + UInt64(tick) * second)
            }
            notifier.watchdog(nowNanoseconds: start + 15 * second - 1)
            #expect(listener.received() == [], "no second ping before half the interval")
            notifier.watchdog(nowNanoseconds: start + 15 * second)
            #expect(listener.received() == ["WATCHDOG=1"])
            notifier.watchdog(nowNanoseconds: start + 16 * second)
            #expect(listener.received() == [])
            notifier.watchdog(nowNanoseconds: start + 40 * second)
            #expect(listener.received() == ["WATCHDOG=1"], "a late tick pings at once")
        }
    }

    @Test func watchdogForAnotherProcessIsOff() throws {
        let listener = try Listener()
        let settings = ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "30000000"]
        Self.withEnvironment(settings.merging(["WATCHDOG_PID": "\(getppid())"]) { $1 }) {
            let notifier = SystemdNotifier()
            #expect(notifier.watchdogInterval == nil)
            notifier.watchdog(nowNanoseconds: 1)
            #expect(listener.received() == [])
        }
        Self.withEnvironment(settings.merging(["WATCHDOG_PID": "\(getpid())"]) { $1 }) {
            SystemdNotifier().watchdog(nowNanoseconds: 1)
            #expect(listener.received() == ["WATCHDOG=1"])
        }
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        let listener = try Listener()
        let notifier = Self.withEnvironment(["WATCHDOG_USEC": "30000000"]) { SystemdNotifier() }
        #expect(!notifier.isActive)
        #expect(notifier.watchdogInterval == nil)
        // Even with the socket named later: the notifier decided when it was made.
        Self.withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            notifier.ready(status: "idle")
            notifier.status("idle")
            notifier.reloading()
            notifier.stopping()
            notifier.watchdog(nowNanoseconds: 1)
            #expect(listener.received() == [])
        }
    }
}
