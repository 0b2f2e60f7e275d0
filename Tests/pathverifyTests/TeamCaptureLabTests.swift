import Foundation
import PathVerifyCore
import PathVerifyTestSupport
import Testing

/// `pathverify capture` on the uplinks of a team made of veth pairs and tc steering (`TeamLab`):
/// the lab puts each flow on an uplink, deliberately wrong for one, or fails over, and the
/// report must name exactly the wrong flow and the failover.
@Suite(.serialized, .enabled(if: TeamLab.availability.isAvailable, "\(TeamLab.availability)"))
struct TeamCaptureLabTests {
    static let packets = 300

    struct Report {
        var status: Int32
        var document: [String: Any]

        var findings: [[String: Any]] { document["findings"] as? [[String: Any]] ?? [] }
        func findings(_ kind: String) -> [[String: Any]] { findings.filter { $0["kind"] as? String == kind } }
        var team: [String: Any]? { (document["teams"] as? [[String: Any]])?.first }
    }

    /// Captures on up1 and up2 in the host with `team` as the config's team, while `traffic` runs.
    static func capture(in lab: TeamLab, team: String, traffic: () throws -> Void) throws -> Report {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            """
            [[interface]]
            name = "vmk"
            alias = "vmk3"
            role = "FT-logging"

            [[team]]
            name = "ft"
            uplinks = ["up1", "up2"]
            interfaces = ["vmk3"]
            imbalance_threshold = 90
            \(team)
            """, to: "team.toml")
        let command = try lab.spawn(
            namespace: .h, [CommandRunner.binary, "capture", "-i", "up1,up2", "-d", "60", "--json", "--config", config],
            timeLimit: .seconds(90))
        defer { command.signal(SIGKILL) }
        try #require(command.waitForOutput(containing: "capturing on", timeout: .seconds(20)), "\(command.standardError)")
        try traffic()
        command.signal(SIGINT)
        let outcome = command.wait(timeout: .seconds(20))
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any],
            "status \(outcome.status): \(outcome.standardError)")
        return Report(status: outcome.status, document: document)
    }

    static func name(_ value: Any?) -> String? { (value as? [String: Any])?["name"] as? String }

    /// IP-hash placement, worked from VMware's formula: 11 ^ 21 = 30 and 11 ^ 23 = 28 are even
    /// (up1); 11 ^ 22 = 29 and 11 ^ 24 = 19 are odd (up2). The lab puts .23 on up2: wrong.
    @Test func ipHashPlacementWithOneFlowOnTheWrongUplink() throws {
        let lab = try TeamLab()
        defer { lab.close() }
        for (peer, uplink) in [("10.98.0.21", TeamLab.Uplink.up1), ("10.98.0.22", .up2), ("10.98.0.23", .up2), ("10.98.0.24", .up2)] {
            try lab.steer(destination: peer, uplink: uplink)
        }
        let report = try Self.capture(in: lab, team: #"policy = "ip-hash""#) {
            for (index, peer) in TeamLab.peerAddresses.enumerated() {
                let run = try lab.send(to: peer, count: Self.packets, rate: 1000, sourcePort: 41000 + UInt16(index))
                try #require(run.sent == Self.packets && run.received == Self.packets, "\(peer): \(run)")
            }
        }
        #expect(report.status == 1)
        let mismatches = report.findings("uplink-mismatch")
        #expect(mismatches.count == 1, "\(report.findings)")
        let wrong = try #require(mismatches.first)
        #expect(wrong["flow"] as? String == "10.98.0.11:41002->10.98.0.23:9999/udp")
        #expect(Self.name(wrong["expected"]) == "up1" && Self.name(wrong["actual"]) == "up2")
        #expect((wrong["packets"] as? NSNumber)?.intValue == Self.packets)
        #expect(report.findings.count == 1, "nothing else: \(report.findings.map { $0["kind"] ?? "" })")
        let team = try #require(report.team)
        #expect(team["link_state"] as? String == "observed")
        let rows = try #require(team["flows"] as? [[String: Any]])
        #expect(rows.count == 4)
        #expect(rows.filter { $0["verdict"] as? String == "ok" }.count == 3)
        #expect(rows.allSatisfy { Self.name($0["interface"]) == "vmk" }, "the riding interface, by its MAC")
    }

    /// Active/standby: the traffic leaves by up1; up1 goes down and the lab moves the traffic to
    /// the standby up2; up1 comes back and the traffic with it.
    @Test func activeStandbyFailoverAndBack() throws {
        let lab = try TeamLab()
        defer { lab.close() }
        let report = try Self.capture(in: lab, team: "policy = \"failover\"\nstandby = [\"up2\"]") {
            try #require(try lab.send(to: "10.98.0.21", count: Self.packets, rate: 300, sourcePort: 42000).received == Self.packets)
            try lab.setLink(.up1, up: false)
            try lab.steerDefault(uplink: .up2)
            Thread.sleep(forTimeInterval: 2)  // the capture reads link state every second
            try #require(try lab.send(to: "10.98.0.21", count: Self.packets, rate: 300, sourcePort: 42001).received == Self.packets)
            try lab.setLink(.up1, up: true)
            try lab.steerDefault(uplink: .up1)
            Thread.sleep(forTimeInterval: 2)
            try #require(try lab.send(to: "10.98.0.21", count: Self.packets, rate: 300, sourcePort: 42002).received == Self.packets)
        }
        #expect(report.status == 1)
        #expect(report.findings("uplink-mismatch").isEmpty, "\(report.findings)")
        let failover = try #require(report.findings("failover").first, "\(report.findings)")
        #expect(report.findings("failover").count == 1)
        #expect(Self.name(failover["expected"]) == "up1" && Self.name(failover["actual"]) == "up2")
        #expect((failover["packets"] as? NSNumber)?.intValue == Self.packets)
        #expect(failover["flow"] as? String == "10.98.0.11:42001->10.98.0.21:9999/udp")
        let detail = failover["detail"] as? String ?? ""
        #expect(detail.contains("up1 was down from"), "\(detail)")
        #expect(detail.contains("traffic moved back to up1 at"), "\(detail)")
        let uplinks = try #require(report.team?["uplinks"] as? [[String: Any]])
        #expect(uplinks.map { $0["was_down"] as? Bool } == [true, false])
        // Every packet, the last ones included (they wait in a ring block until it times out).
        #expect(uplinks.map { ($0["packets_out"] as? NSNumber)?.intValue } == [2 * Self.packets, Self.packets])
    }
}
