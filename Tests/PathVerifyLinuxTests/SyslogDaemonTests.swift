import Foundation
import Glibc
import PathVerifyCore
import PathVerifyLinux
import PathVerifyTestSupport
import Synchronization
import Testing

/// The test syslog daemon and its `/dev/log` wrapper, proved with `logger`.
@Suite(.enabled(if: SyslogDaemon.availability.isAvailable, "\(SyslogDaemon.availability)"))
struct SyslogDaemonTests {
    @Test func loggerThroughTheDevLogWrapperReachesTheTestDaemonWithItsPriority() throws {
        let syslog = try SyslogDaemon()
        defer { syslog.stop() }
        let outcome = try syslog.run(["logger", "-t", "pathverify", "-p", "daemon.warning", "TEST_LINE k=v"])
        #expect(outcome.status == 0, "logger: \(outcome.standardError)")

        let line = try #require(syslog.waitForLine(containing: "TEST_LINE", timeout: .seconds(10)))
        #expect(line.priority == "daemon.warning")
        #expect(line.tag == "pathverify")
        #expect(line.message == "TEST_LINE k=v")
    }

    /// The daemon under test runs in a lab's network namespace: a unix socket bound to a path is reached by
    /// its path whatever the network namespace, so the wrapper works inside one too.
    @Test func theWrapperWorksInsideAnotherNetworkNamespace() throws {
        let syslog = try SyslogDaemon()
        defer { syslog.stop() }
        let outcome = try syslog.run(
            ["logger", "-i", "-t", "pathverify", "-p", "local0.notice", "NETNS_LINE k=v"], within: ["unshare", "-n"])
        #expect(outcome.status == 0, "unshare -n logger: \(outcome.standardError)")
        let line = try #require(syslog.waitForLine(containing: "NETNS_LINE", timeout: .seconds(10)))
        #expect(line.priority == "local0.notice")
    }

    @Test func theWrapperGivesAPrivateDevWithTheUsualNodesAndLeavesTheHostsAlone() throws {
        let syslog = try SyslogDaemon()
        defer { syslog.stop() }
        let outcome = try syslog.run([
            "sh", "-c",
            "test -c /dev/null && test -c /dev/zero && test -c /dev/urandom && test -c /dev/random"
                + " && head -c 4 /dev/urandom >/dev/null && readlink /dev/log",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput == syslog.socketPath + "\n")
        // The host's /dev is not the tmpfs: it still has no /dev/log of ours.
        #expect(readLink("/dev/log") != syslog.socketPath)
    }

    @Test func linesKeepPriorityTagPidAndPercentSigns() throws {
        let syslog = try SyslogDaemon()
        defer { syslog.stop() }
        let outcome = try syslog.run([
            "logger", "-i", "-t", "pathverify", "-p", "local3.err", "CAPTURE_DROPS pct=5%s%n",
        ])
        #expect(outcome.status == 0, "logger: \(outcome.standardError)")

        let line = try #require(syslog.waitForLine(containing: "CAPTURE_DROPS", timeout: .seconds(10)))
        #expect(line.facility == "local3")
        #expect(line.severity == "err")
        #expect(line.programName == "pathverify")
        #expect(line.processID != nil)
        #expect(line.message == "CAPTURE_DROPS pct=5%s%n")
    }

    private func readLink(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }
}

/// The syslog writer never makes its caller wait, counts what it drops, and says so in the log.
struct SyslogWriterTests {
    /// A delivery that records every line and blocks until opened (or 30 s pass, so a broken writer
    /// fails the test instead of hanging it).
    final class BlockingDelivery: Sendable {
        let delivered = Mutex<[(priority: Int32, line: String)]>([])
        private let gate = DispatchSemaphore(value: 0)
        private let entered = DispatchSemaphore(value: 0)
        private let isOpen = Atomic<Bool>(false)

        func deliver(_ priority: Int32, _ line: String) {
            delivered.withLock { $0.append((priority, line)) }
            entered.signal()
            guard !isOpen.load(ordering: .acquiring) else { return }
            _ = gate.wait(timeout: .now() + 30)
            gate.signal()  // let the next one through too
        }

        func open() {
            isOpen.store(true, ordering: .releasing)
            gate.signal()
        }

        /// Waits until a delivery has begun.
        func waitForFirstDelivery() -> Bool { entered.wait(timeout: .now() + 10) == .success }

        var lines: [String] { delivered.withLock { $0.map(\.line) } }
    }

    @Test func aBlockedSyslogNeverBlocksWriteAndTheLossIsCountedAndReported() throws {
        let fake = BlockingDelivery()
        let writer = try SyslogWriter(facility: .local2, deliver: fake.deliver)
        defer { writer.close() }
        let total = SyslogWriter.defaultCapacity * 5

        let start = ContinuousClock.now
        writer.write("LINE n=0", severity: .warning)
        #expect(fake.waitForFirstDelivery())
        for number in 1..<total {
            writer.write("LINE n=\(number)", severity: .warning)
        }
        let elapsed = ContinuousClock.now - start
        // Writes only queue: thousands take milliseconds. The bound is loose for slow CI machines; a
        // blocking write would wait for the fake's 30 s.
        #expect(elapsed < .seconds(5))
        // At most `capacity` lines are held, the one being delivered included.
        let lost = total - SyslogWriter.defaultCapacity
        #expect(writer.lostLines == lost)
        #expect(fake.lines == ["LINE n=0"])

        fake.open()
        #expect(writer.flush(timeoutNanoseconds: 10_000_000_000))
        let kept = (0..<SyslogWriter.defaultCapacity).map { "LINE n=\($0)" }
        // The report takes the gap's place: after the lines queued before it.
        #expect(fake.lines == kept + ["SYSLOG_LOST lines=\(lost)"])
        let report = try #require(fake.delivered.withLock { $0.last })
        #expect(report.priority == LOG_LOCAL2 | LOG_ERR)

        // Once delivered, the loss is not reported again; the count stays for the daemon's summary.
        writer.write("AFTER k=v", severity: .info)
        #expect(writer.flush(timeoutNanoseconds: 10_000_000_000))
        #expect(fake.lines.suffix(2) == ["SYSLOG_LOST lines=\(lost)", "AFTER k=v"])
        #expect(writer.lostLines == lost)
    }

    @Test func eachSeverityGoesWithItsSyslogLevelAndTheFacility() throws {
        let fake = BlockingDelivery()
        fake.open()
        let writer = try SyslogWriter(facility: .daemon, deliver: fake.deliver)
        defer { writer.close() }
        for severity in AlertSeverity.allCases {
            writer.write("SEVERITY name=\(severity.rawValue) pct=100%s", severity: severity)
        }
        #expect(writer.flush(timeoutNanoseconds: 10_000_000_000))
        let priorities = fake.delivered.withLock { $0.map(\.priority) }
        #expect(priorities == [LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO].map { LOG_DAEMON | $0 })
        #expect(fake.lines.first == "SEVERITY name=err pct=100%s")
        #expect(writer.lostLines == 0)
    }

    @Test func closeDropsWhatIsQueuedAndCountsIt() throws {
        let fake = BlockingDelivery()
        let writer = try SyslogWriter(facility: .daemon, capacity: 4, deliver: fake.deliver)
        writer.write("LINE n=0", severity: .info)
        #expect(fake.waitForFirstDelivery())
        for number in 1..<4 { writer.write("LINE n=\(number)", severity: .info) }
        // The thread is stuck in a delivery: close does not wait for it longer than asked.
        #expect(!writer.close(timeoutNanoseconds: 50_000_000))
        #expect(writer.lostLines == 3)
        writer.write("LATE k=v", severity: .info)
        #expect(writer.lostLines == 4)
        fake.open()
        #expect(writer.close())
        #expect(fake.lines == ["LINE n=0"])
    }

    /// Whether this machine has a /dev/log (a socket, or a symlink to one, even a dangling one).
    static let hostHasDevLog: Bool = {
        var status = stat()
        return lstat("/dev/log", &status) == 0
    }()

    // Skipped, not failed, where /dev/log exists: a test must never write to the syslog of the machine it runs on.
    @Test(
        .enabled(
            if: !hostHasDevLog,
            "/dev/log exists on this machine: skipping, so that the test writes nothing to its real syslog"))
    func theSystemSyslogWithoutDevLogNeitherBlocksNorCrashes() throws {
        let writer = try SyslogWriter(facility: .local7)
        let start = ContinuousClock.now
        for number in 0..<(SyslogWriter.defaultCapacity * 3) {
            // glibc formats every line before it finds no socket: with the line as the format, `%n` and `%s`
            // would read and write through garbage pointers. With "%s" they are only text.
            writer.write("NO_DEVLOG n=\(number) pct=%n%s%d", severity: .warning)
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(writer.flush(timeoutNanoseconds: 30_000_000_000))
        #expect(writer.close())
    }

    @Test(arguments: [
        ("daemon", LOG_DAEMON), ("user", LOG_USER), ("local0", LOG_LOCAL0), ("local1", LOG_LOCAL1),
        ("local2", LOG_LOCAL2), ("local3", LOG_LOCAL3), ("local4", LOG_LOCAL4), ("local5", LOG_LOCAL5),
        ("local6", LOG_LOCAL6), ("local7", LOG_LOCAL7), ("LOCAL7", LOG_LOCAL7), ("Daemon", LOG_DAEMON),
    ])
    func facilityNamesParse(name: String, code: Int32) throws {
        let facility = try SyslogFacility(name: name)
        #expect(facility.code == code)
        #expect(facility.rawValue == name.lowercased())
    }

    @Test(arguments: ["", "kern", "local8", "local", "daemon ", "auth"])
    func unknownFacilityNamesAreRejectedWithTheAcceptedNames(name: String) {
        #expect(throws: SyslogFacility.UnknownName(name: name)) { try SyslogFacility(name: name) }
        let message = SyslogFacility.UnknownName(name: name).description
        #expect(message.contains("'\(name)'"))
        #expect(message.hasSuffix("daemon, user, local0, local1, local2, local3, local4, local5, local6, local7"))
    }

    @Test func theDefaultFacilityIsDaemon() throws {
        let writer = try SyslogWriter(deliver: { _, _ in })
        defer { writer.close() }
        #expect(writer.facility == .daemon)
        #expect(SyslogWriter.priority(of: .warning, facility: writer.facility) == 28)  // <28>, as syslog shows it
    }
}
