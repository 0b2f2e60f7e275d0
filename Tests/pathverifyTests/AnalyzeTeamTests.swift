import Foundation
import PathVerifyCore
import PathVerifyTestSupport
import Testing

/// `pathverify analyze` on per-uplink captures, one classic pcap per uplink as tcpdump -i upN
/// writes them, with a team in the config.
@Suite struct AnalyzeTeamTests {
    static func analyze(_ flows: [TeamTraffic.Flow], team: String, json: Bool = false) throws -> ProcessOutcome {
        let directory = try TemporaryDirectory()
        let files = LabCaptures.perInterface(TeamTraffic.packets(flows), host: TeamTraffic.host)
        var arguments = ["analyze", "--config", try directory.write(TeamTraffic.configText(team: team), to: "team.toml")]
        if json { arguments.append("--json") }
        for uplink in TeamTraffic.uplinks { arguments.append("\(uplink)=\(try directory.write(files[uplink]!, to: "\(uplink).pcap"))") }
        return try CommandRunner.run(arguments)
    }

    @Test func ipHashReportsExactlyTheFlowOnTheWrongUplink() throws {
        // 11 ^ 21 = 30 and 11 ^ 23 = 28 are even (up1); 11 ^ 22 = 29 is odd (up2).
        let flows: [TeamTraffic.Flow] = [
            .init(peer: "10.98.0.21", sourcePort: 40000, uplink: "up1"),
            .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up2"),
            .init(peer: "10.98.0.23", sourcePort: 40002, uplink: "up2", count: 60),
        ]
        let outcome = try Self.analyze(flows, team: #"policy = "ip-hash""#)
        #expect(outcome.status == 1, "\(outcome.standardOutput)\(outcome.standardError)")
        let findings = outcome.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FINDING ") }
        #expect(findings.count == 1, "\(findings)")
        #expect(
            findings.first?.contains(
                "kind=uplink-mismatch team=ft direction=out expected=up1 actual=up2 flow=10.98.0.11:40002->10.98.0.23:9999/udp flows=1 packets=60")
                == true)
        // The TEAM-PNIC table: predicted beside actual, per flow, the mismatch first.
        let rows = outcome.standardOutput.split(separator: "\n").filter { $0.hasPrefix("ft ") && $0.contains("->") }
        #expect(rows.count == 3)
        #expect(rows.first?.contains("10.98.0.11:40002->10.98.0.23:9999/udp") == true)
        #expect(rows.first?.split(separator: " ").suffix(5).joined(separator: " ") == "vmk(vmk3) up1 up2 60 MISMATCH")

        let json = try Self.analyze(flows, team: #"policy = "ip-hash""#, json: true)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let teams = try #require(document["teams"] as? [[String: Any]])
        #expect(teams.first?["policy"] as? String == "ip-hash")
        let rowsJSON = try #require(teams.first?["flows"] as? [[String: Any]])
        #expect(rowsJSON.first?["verdict"] as? String == "mismatch")
        #expect((rowsJSON.first?["predicted"] as? [String: Any])?["name"] as? String == "up1")
        let finding = try #require((document["findings"] as? [[String: Any]])?.first)
        #expect(finding["team"] as? String == "ft" && finding["kind"] as? String == "uplink-mismatch")
    }

    @Test func activeStandbyFailoverInTheMiddleOfTheCapture() throws {
        let flows: [TeamTraffic.Flow] = [
            .init(peer: "10.98.0.21", uplink: "up1", at: 0, count: 30, interval: 0.1),
            .init(peer: "10.98.0.21", uplink: "up2", at: 4, count: 30, interval: 0.1),
        ]
        let outcome = try Self.analyze(flows, team: "policy = \"failover\"\nstandby = [\"up2\"]")
        #expect(outcome.status == 1)
        let findings = outcome.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FINDING ") }
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.contains("kind=failover team=ft direction=out expected=up1 actual=up2") == true)
        #expect(outcome.standardOutput.contains("it had not moved back by the end"))
        #expect(outcome.standardOutput.contains("offline, an uplink that carried no packets for a second or more"))
    }

    @Test func activeStandbyOnTheActiveUplinkExitsZero() throws {
        let outcome = try Self.analyze(
            [.init(peer: "10.98.0.21", uplink: "up1")], team: "policy = \"failover\"\nstandby = [\"up2\"]")
        #expect(outcome.status == 0, "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("No findings."))
    }

    @Test func aBadTeamIsABadConfigWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let text = TeamTraffic.configText(team: "policy = \"ip-hsah\"\nstandby = [\"up3\"]")
        let config = try directory.write(text, to: "team.toml")
        let outcome = try CommandRunner.run(["config", "check", config])
        #expect(outcome.status == 78)
        #expect(outcome.standardError.contains("team.toml:12: team[0].policy: 'ip-hsah' is not a teaming policy; did you mean 'ip-hash'?"))
        #expect(outcome.standardError.contains("team.toml:13: team[0].standby[0]: 'up3' is not one of the team's uplinks"))
    }
}
