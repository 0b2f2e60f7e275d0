import Foundation
import PathVerifyTestSupport
import Testing

/// `pathverify run` in the namespace lab's host A, writing to a real rsyslogd through glibc's
/// `/dev/log` (pointed at the test's own rsyslogd in a private mount namespace).
@Suite(
    .serialized, .enabled(if: NamespaceLab.availability.isAvailable, "\(NamespaceLab.availability)"),
    .enabled(if: SyslogDaemon.availability.isAvailable, "\(SyslogDaemon.availability)"))
struct RunDaemonTests {
    /// Short windows and quiet periods, so that a test sees raise and clear in seconds.
    static let quick = ["--window", "1s", "--clear-after", "3s", "--log", "both"]

    static let noNotify = ["env", "-u", "NOTIFY_SOCKET", "-u", "WATCHDOG_USEC", "-u", "WATCHDOG_PID"]

    static let config = """
        [[interface]]
        name = "vmk2"
        alias = "repl"
        [[interface]]
        name = "vmk1"
        alias = "mgmt"
        [[intent]]
        name = "replication"
        source = ["10.99.0.12/32"]
        destination = ["10.99.0.22/32"]
        ports = [9999]
        egress = "vmk2"
        """

    /// A lab, a syslog, and `pathverify run` started in A, ready once STARTED reached syslog.
    struct Setup {
        let lab: NamespaceLab
        let syslog: SyslogDaemon
        let daemon: NamespaceLab.BackgroundCommand
        let directory: TemporaryDirectory

        /// - Parameter checks: whether the daemon runs the checks of `pathverify check`; off, the
        ///   alerts are those of traffic alone, which most of these tests count.
        init(
            profile: NamespaceLab.Profile, arguments: [String] = ["-i", "vmk1,vmk2"], config: String? = nil, checks: Bool = false
        ) throws {
            lab = try NamespaceLab(profile: profile)
            syslog = try SyslogDaemon()
            directory = try TemporaryDirectory()
            // Not systemd's child: another suite may have set NOTIFY_SOCKET in this process.
            var command = RunDaemonTests.noNotify + [CommandRunner.binary, "run"] + RunDaemonTests.quick + arguments
            if !checks { command.append("--no-check") }
            if let config { command += ["--config", try directory.write(config, to: "pathverify.toml")] }
            daemon = try syslog.spawn(command, within: ["ip", "netns", "exec", lab.namespace(of: .a)], timeLimit: .seconds(120))
            guard syslog.waitForLine(containing: "STARTED ", timeout: .seconds(15)) != nil else {
                throw SetupError(message: "no STARTED line; stderr: \(daemon.standardError)")
            }
        }

        /// SIGTERM, then the daemon's outcome; it must stop well within the unit's 10 s.
        func stop() -> NamespaceLab.Outcome {
            daemon.signal(SIGTERM)
            let outcome = daemon.wait(timeout: .seconds(8))
            _ = syslog.stop()
            lab.close()
            return outcome
        }

        func messages(_ event: String) -> [[String: String]] {
            syslog.lines().filter { $0.message.hasPrefix(event + " ") }.map { RunDaemonTests.fields($0.message) }
        }
    }

    struct SetupError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// `key=value` pairs of an alert line, quotes removed.
    static func fields(_ message: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(message)
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].split(separator: " ").last.map(String.init) ?? ""
            var value = rest[rest.index(after: equals)...]
            let end: Substring.Index
            if value.first == "\"" {
                value = value.dropFirst()
                end = value.firstIndex(of: "\"") ?? value.endIndex
                result[key] = String(value[..<end])
                rest = value[(end < value.endIndex ? value.index(after: end) : end)...]
            } else {
                end = value.firstIndex(of: " ") ?? value.endIndex
                result[key] = String(value[..<end])
                rest = value[end...]
            }
        }
        return result
    }

    @Test func misroutedTrafficRaisesOneAlertThatClearsWhenTheTrafficStops() throws {
        let setup = try Setup(profile: .misconfigured)
        let run = try setup.lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 400)
        #expect(run.a["vmk1"]?.txPackets ?? 0 >= 400, "the lab did not misroute: \(run.a)")
        let raised = try #require(
            setup.syslog.waitForLine(containing: "RAISED kind=egress-mismatch", timeout: .seconds(10)),
            "\(setup.syslog.lines())")
        #expect(raised.priority == "daemon.warning")
        #expect(raised.programName == "pathverify")
        let fields = Self.fields(raised.message)
        #expect(fields["expected"] == "vmk2")
        #expect(fields["actual"] == "vmk1")
        #expect(fields["flow"]?.hasSuffix("->10.99.0.22:9999/udp") == true)
        let cleared = try #require(
            setup.syslog.waitForLine(containing: "CLEARED kind=egress-mismatch", timeout: .seconds(15)),
            "\(setup.syslog.lines())")
        #expect(cleared.priority == "daemon.notice")
        // Every packet of the run is counted once, over however many windows it spanned.
        #expect(Self.fields(cleared.message)["packets"] == String(run.sentPackets))
        #expect(Self.fields(cleared.message)["since"] == fields["since"])
        let outcome = setup.stop()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        // One alert for the path; the lab's ARP flux (both of B's MACs answer for .22) is another.
        let raisedKinds = setup.messages("RAISED").compactMap { $0["kind"] }
        #expect(raisedKinds.sorted() == ["arp-flux", "egress-mismatch"], "\(setup.syslog.lines())")
        let stopped = try #require(setup.messages("STOPPED").first)
        #expect(stopped["reason"] == "SIGTERM")
        #expect(stopped["raised"] == "2")
        #expect(stopped["cleared"] == "2")
        // The foreground copy: the same lines on stdout.
        #expect(outcome.standardOutput.contains(raised.message), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("STOPPED reason=SIGTERM"))
    }

    @Test func theFixedProfileMakesNoAlert() throws {
        let setup = try Setup(profile: .fixed, checks: true)
        let run = try setup.lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 400)
        #expect(run.a["vmk2"]?.txPackets ?? 0 >= 400, "the fixed lab did not route by source: \(run.a)")
        // Two windows after the traffic: any alert would be out by now.
        Thread.sleep(forTimeInterval: 2.5)
        let outcome = setup.stop()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let events = setup.syslog.lines().compactMap { $0.message.split(separator: " ").first.map(String.init) }
        #expect(events == ["STARTED", "STOPPED"], "\(setup.syslog.lines())")
        #expect(Int(setup.messages("STOPPED").first?["packets"] ?? "") ?? 0 >= 400)
    }

    /// The checks of `pathverify check` at the start raise their findings as alerts; the fix's
    /// policy routing is a route change, which runs them again, and the alerts clear.
    @Test func predictedFindingsRaiseAtTheStartAndClearWhenTheHostIsFixed() throws {
        let setup = try Setup(profile: .misconfigured, checks: true)
        let raised = try #require(
            setup.syslog.waitForLine(containing: "RAISED kind=egress-predicted-mismatch", timeout: .seconds(10)),
            "\(setup.syslog.lines())")
        let fields = Self.fields(raised.message)
        #expect(fields["address"] == "10.99.0.12")
        #expect(fields["expected"] == "vmk2")
        #expect(fields["actual"] == "vmk1")
        #expect(fields["route"]?.hasPrefix("10.99.0.0/24 dev vmk1") == true)
        #expect(setup.syslog.waitForLine(timeout: .seconds(5)) { $0.message.hasPrefix("RAISED kind=ingress-flux-risk") } != nil)
        try CheckLabTests.apply(setup.lab, .a, CheckLabTests.arpSettings + CheckLabTests.policyRouting(.a))
        #expect(
            setup.syslog.waitForLine(containing: "CLEARED kind=egress-predicted-mismatch", timeout: .seconds(15)) != nil,
            "\(setup.syslog.lines())")
        #expect(setup.syslog.waitForLine(timeout: .seconds(5)) { $0.message.hasPrefix("CLEARED kind=ingress-flux-risk") } != nil)
        let outcome = setup.stop()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let raisedKinds = setup.messages("RAISED").compactMap { $0["kind"] }
        #expect(raisedKinds.sorted() == ["egress-predicted-mismatch", "ingress-flux-risk", "ingress-flux-risk"], "\(setup.syslog.lines())")
        #expect(setup.messages("CLEARED").count == 3, "\(setup.syslog.lines())")
    }

    @Test func aStormOfMismatchingFlowsGivesABoundedNumberOfLines() throws {
        let setup = try Setup(profile: .misconfigured)
        let run = try setup.lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 3000, newFlowEach: true)
        #expect(run.sentPackets == 3000)
        Thread.sleep(forTimeInterval: 1.5)
        let outcome = setup.stop()
        #expect(outcome.status == 0)
        let raised = setup.messages("RAISED")
        // One alert for the path (and at most one arp-flux), however many flows.
        #expect(raised.filter { $0["kind"] == "egress-mismatch" }.count == 1, "\(setup.syslog.lines())")
        #expect(setup.syslog.lines().count <= 6, "\(setup.syslog.lines())")
        #expect(Int(raised.first { $0["kind"] == "egress-mismatch" }?["flows"] ?? "") ?? 0 >= 100)
    }

    @Test func sighupReloadsAGoodConfigAndKeepsTheRunningOneOnABadOne() throws {
        let setup = try Setup(profile: .misconfigured, arguments: [], config: Self.config)
        let path = setup.directory.path + "/pathverify.toml"
        // A good config: the intent renamed (with a printf conversion in it: syslog must print it,
        // not expand it); both interfaces stay.
        try Self.config.replacingOccurrences(of: "\"replication\"", with: "\"storage%s%n\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        setup.daemon.signalChildren(SIGHUP)
        let reloaded = try #require(setup.syslog.waitForLine(containing: "RELOADED ", timeout: .seconds(10)))
        #expect(Self.fields(reloaded.message)["kept"] == "vmk2,vmk1")
        #expect(Self.fields(reloaded.message)["opened"] == "-")
        // A broken one: a typo in a key.
        try Self.config.replacingOccurrences(of: "egress = ", with: "egres = ").write(toFile: path, atomically: true, encoding: .utf8)
        setup.daemon.signalChildren(SIGHUP)
        let failed = try #require(setup.syslog.waitForLine(containing: "RELOAD_FAILED ", timeout: .seconds(10)))
        #expect(failed.priority == "daemon.err")
        #expect(Self.fields(failed.message)["error"]?.contains("egres") == true, "\(failed.message)")
        #expect(Self.fields(failed.message)["error"]?.contains("pathverify.toml:12:") == true, "\(failed.message)")
        // Still running, with the good config's intent.
        _ = try setup.lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 300)
        let raised = try #require(
            setup.syslog.waitForLine(containing: "RAISED kind=egress-mismatch intent=storage%s%n ", timeout: .seconds(10)),
            "\(setup.syslog.lines())")
        #expect(Self.fields(raised.message)["expected"] == "vmk2(repl)")
        let outcome = setup.stop()
        #expect(outcome.status == 0)
    }

    @Test func aDeletedInterfaceIsReportedAndCapturedAgainWhenItComesBack() throws {
        let setup = try Setup(profile: .misconfigured)
        try setup.lab.unlink(host: .a, interface: "vmk2")
        let down = try #require(
            setup.syslog.waitForLine(containing: "RAISED kind=interface-down", timeout: .seconds(10)),
            "\(setup.syslog.lines())")
        #expect(down.priority == "daemon.err")
        #expect(Self.fields(down.message)["actual"] == "vmk2")
        try setup.lab.link(host: .a, interface: "vmk2")
        let reopened = try #require(setup.syslog.waitForLine(containing: "REOPENED interface=vmk2", timeout: .seconds(5)))
        _ = reopened
        #expect(setup.syslog.waitForLine(containing: "CLEARED kind=interface-down", timeout: .seconds(10)) != nil)
        // vmk1's capture never stopped: the misrouted traffic is still seen.
        _ = try setup.lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 300)
        #expect(setup.syslog.waitForLine(containing: "RAISED kind=egress-mismatch", timeout: .seconds(10)) != nil)
        let outcome = setup.stop()
        #expect(outcome.status == 0, "\(outcome.standardError)")
    }

    @Test func aMissingSyslogDoesNotHoldTheCapture() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let directory = try TemporaryDirectory()
        let command =
            SyslogDaemon.devLogPrefix(socket: directory.path + "/no-such.sock")
            + Self.noNotify + [CommandRunner.binary, "run", "-i", "vmk1,vmk2"] + Self.quick
        let daemon = try lab.spawn(host: .a, command, timeLimit: .seconds(60))
        #expect(daemon.waitForOutput(containing: "STARTED ", timeout: .seconds(15)), "\(daemon.standardError)")
        _ = try lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 300)
        #expect(daemon.waitForOutput(containing: "RAISED kind=egress-mismatch", timeout: .seconds(10)), "\(daemon.standardOutput)")
        daemon.signal(SIGTERM)
        let outcome = daemon.wait(timeout: .seconds(8))
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("STOPPED reason=SIGTERM"))
    }

    @Test func systemdHearsReadyStatusWatchdogReloadAndStop() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let notify = try NotifySocket()
        // A 4 s watchdog: a ping every 2 s (half of it).
        let daemon = try lab.spawn(
            host: .a,
            ["env", "-u", "WATCHDOG_PID", "NOTIFY_SOCKET=\(notify.path)", "WATCHDOG_USEC=4000000", CommandRunner.binary, "run",
             "-i", "vmk1,vmk2", "--log", "stdout", "--window", "1s"],
            timeLimit: .seconds(60))
        let start = try #require(notify.wait(timeout: .seconds(15)) { $0.hasPrefix("READY=1") }, "\(daemon.standardError)")
        #expect(start.last == "READY=1\nSTATUS=watching vmk1,vmk2; 0 alerts open")
        // The pings come from the capture loop, on its one-second tick, every 2 s at most.
        let running = notify.collect(for: .seconds(5))
        #expect((2...3).contains(running.filter { $0 == "WATCHDOG=1" }.count), "\(running)")
        daemon.signalChildren(SIGHUP)
        let reload = try #require(notify.wait(timeout: .seconds(10)) { $0.hasPrefix("READY=1") })
        #expect(reload.contains("RELOADING=1"), "\(reload)")
        daemon.signal(SIGTERM)
        let stop = try #require(notify.wait(timeout: .seconds(10)) { $0 == "STOPPING=1" })
        #expect((running + reload + stop).contains { $0.hasPrefix("STATUS=watching vmk1,vmk2;") })
        let outcome = daemon.wait(timeout: .seconds(8))
        #expect(outcome.status == 0, "\(outcome.signalled) \(outcome.standardOutput) \(outcome.standardError)")
    }
}
