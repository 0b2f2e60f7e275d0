import Foundation
import PathVerifyTestSupport
import Testing

/// `pathverify check` inside the namespace lab's hosts: what it predicts before any traffic,
/// and, where the lab sends some, that the kernel then does what was predicted.
@Suite(.serialized, .enabled(if: NamespaceLab.availability.isAvailable, "\(NamespaceLab.availability)"))
struct CheckLabTests {
    /// One check's outcome: its exit status and JSON report.
    struct Check {
        var status: Int32
        var report: [String: Any]

        var findings: [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }

        /// `ADDRESS EXPECTED->ACTUAL` of each finding of `kind` (intent ones marked with it).
        func paths(_ kind: String) -> Set<String> {
            Set(
                findings.filter { $0["kind"] as? String == kind }.map {
                    let expected = ($0["expected"] as? [String: Any])?["name"] as? String ?? "-"
                    let actual = ($0["actual"] as? [String: Any])?["name"] as? String ?? "-"
                    let intent = ($0["intent"] as? String).map { " (\($0))" } ?? ""
                    return "\($0["address"] as? String ?? "?") \(expected)->\(actual)\(intent)"
                })
        }

        var statuses: [String] { (report["subnets"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String } }
    }

    static func check(_ lab: NamespaceLab, _ host: NamespaceLab.Host, config: String? = nil) throws -> Check {
        let directory = try TemporaryDirectory()
        var command = [CommandRunner.binary, "check", "--json"]
        if let config { command += ["--config", try directory.write(config, to: "check.toml")] }
        let outcome = try lab.run(host: host, command)
        guard let object = try? JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)),
            let report = object as? [String: Any]
        else {
            throw CaptureLabTests.Failure("no JSON report (status \(outcome.status)): \(outcome.standardError)")
        }
        return Check(status: outcome.status, report: report)
    }

    /// Runs each command in `host`, failing on the first that fails.
    static func apply(_ lab: NamespaceLab, _ host: NamespaceLab.Host, _ commands: [[String]]) throws {
        for command in commands {
            let outcome = try lab.run(host: host, command)
            guard outcome.status == 0 else { throw CaptureLabTests.Failure("\(command) failed: \(outcome.standardError)") }
        }
    }

    /// The lab's fixed profile, in two halves (Tests/Lab/lab.sh).
    static func policyRouting(_ host: NamespaceLab.Host) -> [[String]] {
        let addresses = host == .a ? ["10.99.0.11", "10.99.0.12"] : ["10.99.0.21", "10.99.0.22"]
        return [1, 2].flatMap { i in
            [
                ["ip", "route", "add", "10.99.0.0/24", "dev", "vmk\(i)", "src", addresses[i - 1], "table", "10\(i)"],
                ["ip", "rule", "add", "from", addresses[i - 1], "lookup", "10\(i)", "priority", "100\(i)"],
            ]
        }
    }
    static let arpSettings = [["sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2"]]

    @Test func misconfiguredIsPredictedOnBothHostsAndTheCaptureConfirmsIt() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let a = try Self.check(lab, .a)
        #expect(a.status == 1)
        #expect(a.paths("egress-predicted-mismatch") == ["10.99.0.12 vmk2->vmk1"], "\(a.findings)")
        #expect(a.paths("ingress-flux-risk") == ["10.99.0.11 vmk1->vmk2", "10.99.0.12 vmk2->vmk1"], "\(a.findings)")
        #expect(a.statuses == ["unfixed"])
        let route = a.findings.first { $0["kind"] as? String == "egress-predicted-mismatch" }?["route"] as? String
        #expect(route?.hasPrefix("10.99.0.0/24 dev vmk1 table main metric 0") == true, "\(route ?? "none")")
        let b = try Self.check(lab, .b)
        #expect(b.paths("ingress-flux-risk") == ["10.99.0.21 vmk1->vmk2", "10.99.0.22 vmk2->vmk1"], "\(b.findings)")
        // With the intents of the capture tests, the replication intent is predicted wrong too.
        let intents = try Self.check(lab, .a, config: CaptureLabTests.config)
        #expect(intents.paths("egress-predicted-mismatch").contains("10.99.0.12 vmk2->vmk1 (replication)"), "\(intents.findings)")
        #expect(!intents.paths("egress-predicted-mismatch").contains { $0.hasSuffix("(service)") })
        // The capture confirms it: the replication traffic leaves A by vmk1.
        let run = try CaptureLabTests.capture(in: lab, scenario: .pinnedToVmk2, proto: .udp)
        #expect(run.a.plain.packets("egress-mismatch", expected: "vmk2", actual: "vmk1") >= CaptureLabTests.most)
    }

    @Test func fixedProfileIsClean() throws {
        let lab = try NamespaceLab(profile: .fixed)
        defer { lab.close() }
        for host in [NamespaceLab.Host.a, .b] {
            let check = try Self.check(lab, host)
            #expect(check.status == 0, "\(check.findings)")
            #expect(check.findings.isEmpty)
            #expect(check.statuses == ["fixed"])
        }
    }

    /// A gets the policy routing only, B the ARP settings only: each is reported as half fixed.
    @Test func halfFixesAreReportedAsHalfFixed() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        try Self.apply(lab, .a, Self.policyRouting(.a))
        try Self.apply(lab, .b, Self.arpSettings)
        let a = try Self.check(lab, .a)
        #expect(a.statuses == ["routing-only"])
        #expect(a.paths("egress-predicted-mismatch").isEmpty, "\(a.findings)")
        #expect(a.paths("ingress-flux-risk") == ["10.99.0.11 vmk1->vmk2", "10.99.0.12 vmk2->vmk1"])
        let b = try Self.check(lab, .b)
        #expect(b.statuses == ["arp-only"])
        #expect(b.paths("egress-predicted-mismatch") == ["10.99.0.22 vmk2->vmk1"], "\(b.findings)")
        #expect(b.paths("ingress-flux-risk").isEmpty, "\(b.findings)")
    }

    /// `ip link set vmk1 down; up` re-adds vmk1's route after vmk2's: vmk1's address now leaves by
    /// vmk2, as the check says and the interface counters show.
    @Test func routeOrderFlipIsPredicted() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        try Self.apply(lab, .a, [["ip", "link", "set", "vmk1", "down"], ["ip", "link", "set", "vmk1", "up"]])
        let a = try Self.check(lab, .a)
        #expect(a.paths("egress-predicted-mismatch") == ["10.99.0.11 vmk1->vmk2"], "\(a.findings)")
        let run = try lab.send(scenario: .pinnedToVmk1, proto: .udp, count: 200)
        #expect(run.a["vmk2"]?.txPackets ?? 0 >= 200, "vmk1's traffic should leave by vmk2: \(run.a)")
        #expect(run.a["vmk1"]?.txPackets ?? 0 < 10)
    }

    /// vmk1 loses its carrier: its route stays and is still chosen (linkdown) until
    /// ignore_routes_with_linkdown is set, after which the lookup moves to vmk2.
    @Test func linkdownRouteIsReported() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        try Self.apply(lab, .sw, [["ip", "link", "set", "a-vmk1", "down"]])
        let down = try Self.check(lab, .a)
        #expect(down.paths("linkdown-route") == ["10.99.0.11 vmk1->vmk1", "10.99.0.12 vmk2->vmk1"], "\(down.findings)")
        let links = (down.report["interfaces"] as? [[String: Any]] ?? []).compactMap { $0["link"] as? String }
        #expect(links == ["no-carrier", "up"])
        try Self.apply(lab, .a, [["sysctl", "-qw", "net.ipv4.conf.vmk1.ignore_routes_with_linkdown=1"]])
        let ignored = try Self.check(lab, .a)
        #expect(ignored.paths("linkdown-route").isEmpty, "\(ignored.findings)")
        #expect(ignored.paths("egress-predicted-mismatch") == ["10.99.0.11 vmk1->vmk2"], "\(ignored.findings)")
    }

    /// The commands the check prints (policy routing, then the ARP settings) fix what it found:
    /// run as printed in each host, the next check is clean.
    @Test func thePrintedRemediesFixTheHost() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        for host in [NamespaceLab.Host.a, .b] {
            let before = try Self.check(lab, host)
            let finding = try #require(before.findings.first { $0["kind"] as? String == "egress-predicted-mismatch" })
            let remedies = try #require(finding["remedies"] as? [[String: Any]])
            let commands = remedies[1...2].flatMap { $0["commands"] as? [String] ?? [] }
            #expect(commands.count == 5, "four policy routing lines and one sysctl line: \(commands)")
            try Self.apply(lab, host, commands.map { $0.split(separator: " ").map(String.init) })
            let after = try Self.check(lab, host)
            #expect(after.status == 0, "\(after.findings)")
            #expect(after.statuses == ["fixed"])
        }
    }
}
