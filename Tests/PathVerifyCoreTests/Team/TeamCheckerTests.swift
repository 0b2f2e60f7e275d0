import PathVerifyTestSupport
import Testing

@testable import PathVerifyCore

/// The team checks on per-uplink traffic built in the test, through the whole analysis.
@Suite struct TeamCheckerTests {
    /// Offline when `links` is nil (per-uplink files, no direction recorded); live otherwise.
    static func analyse(_ flows: [TeamTraffic.Flow], team: Team, links: LinkHistory? = nil) -> AnalysisResult {
        var analysis = TrafficAnalysis(config: TeamTraffic.config(team), maxFlows: 1000)
        for packet in TeamTraffic.packets(flows) {
            let slot = analysis.interface(named: packet.interface)
            packet.frame.withUnsafeBytes { bytes in
                let record = CaptureRecord(
                    timestamp: packet.timestamp, linkType: .ethernet, interfaceID: 0,
                    originalLength: packet.wireLength, direction: links == nil ? .unknown : .outbound, data: bytes)
                analysis.ingest(record, interface: slot)
            }
        }
        return analysis.result(links: links)
    }

    /// `seconds` after the start of `TeamTraffic`'s packets.
    static func at(_ seconds: Double) -> Timestamp {
        Timestamp(nanoseconds: Timestamp(seconds: 1_790_000_000).nanoseconds + Int64(seconds * 1e9))
    }

    static let failover = Team(
        name: "ft", uplinks: ["up1", "up2"], policy: .explicitFailover, standby: ["up2"], interfaces: ["vmk"])

    @Test func activeStandbyOnTheActiveUplinkIsClean() {
        let result = Self.analyse(
            [.init(peer: "10.98.0.21", uplink: "up1"), .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up1")],
            team: Self.failover)
        #expect(result.findings.isEmpty, "\(result.findings.map(\.detail))")
        let usage = result.teams.first
        #expect(usage?.linkState == "inferred")
        #expect(usage?.flows.count == 2)
        #expect(usage?.flows.allSatisfy { $0.verdict == "ok" && $0.predicted?.name == "up1" } == true)
        #expect(usage?.flows.first?.interface == InterfaceRef(name: "vmk", alias: "vmk3"))
        #expect(usage?.uplinks.map(\.role) == ["active", "standby"])
        #expect(usage?.uplinks.first?.share == 1)
    }

    @Test func aFlowOnTheStandbyWhileTheActiveCarriesIsAnUplinkMismatch() throws {
        let result = Self.analyse(
            [.init(peer: "10.98.0.21", uplink: "up1"), .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up2", count: 50)],
            team: Self.failover)
        let mismatch = try #require(result.findings.first { $0.kind == .uplinkMismatch })
        #expect(mismatch.team == "ft")
        #expect(mismatch.expected?.name == "up1" && mismatch.actual?.name == "up2")
        #expect(mismatch.packets == 50 && mismatch.flows == 1)
        #expect(mismatch.flow == "10.98.0.11:40001->10.98.0.22:9999/udp")
        #expect(!result.findings.contains { $0.kind == .failover })
        #expect(!result.findings.contains { $0.kind == .egressMismatch }, "the rider's own checks pass")
        #expect(result.teams.first?.flows.first?.verdict == "mismatch")
    }

    /// up1 carries for 5 s and falls silent; up2 carries from 6 s to 10 s; up1 again from 12 s,
    /// with a new flow (one flow back on an uplink it used before is one record there, judged by
    /// its whole span: a limit of one-shot captures that the daemon's windows narrow).
    static let failingOver: [TeamTraffic.Flow] = [
        .init(peer: "10.98.0.21", uplink: "up1", at: 0, count: 50, interval: 0.1),
        .init(peer: "10.98.0.21", uplink: "up2", at: 6, count: 40, interval: 0.1),
        .init(peer: "10.98.0.21", sourcePort: 40001, uplink: "up1", at: 12, count: 30, interval: 0.1),
    ]

    /// Offline the silences tell the story, so the move back reads as a failback whatever the
    /// team's setting: up2 falling silent looks like up2 failing.
    @Test(arguments: [true, false])
    func aFailoverInTheMiddleOfCapturesIsAFailoverNotAMismatch(failback: Bool) throws {
        var team = Self.failover
        team.failback = failback
        let result = Self.analyse(Self.failingOver, team: team)
        let failover = try #require(result.findings.first { $0.kind == .failover })
        #expect(failover.expected?.name == "up1" && failover.actual?.name == "up2")
        #expect(failover.packets == 40)
        #expect(failover.detail.contains("silent (read from the capture"))
        #expect(failover.detail.contains("moved back to up1 at \(Self.at(12))"))
        #expect(result.findings.filter { $0.kind == .uplinkMismatch }.isEmpty)
        #expect(result.teams.first?.uplinks.map(\.wasDown) == [true, true])
    }

    /// Live, the kernel says when up1 was down (4.5 s to 11 s). Without failback the team stays
    /// on up2 after up1 recovers, so traffic back on up1 is on the wrong uplink.
    @Test(arguments: [true, false])
    func aLiveFailoverFollowsTheLinkStateAndTheFailbackSetting(failback: Bool) throws {
        var team = Self.failover
        team.failback = failback
        var links = LinkHistory()
        links.observe("up1", up: false, at: Self.at(4.5))
        links.observe("up1", up: true, at: Self.at(11))
        let result = Self.analyse(Self.failingOver, team: team, links: links)
        let failover = try #require(result.findings.first { $0.kind == .failover })
        #expect(failover.expected?.name == "up1" && failover.actual?.name == "up2" && failover.packets == 40)
        #expect(failover.detail.contains("up1 was down from \(Self.at(4.5)) to \(Self.at(11))"))
        let mismatches = result.findings.filter { $0.kind == .uplinkMismatch }
        if failback {
            #expect(mismatches.isEmpty, "\(mismatches.map(\.detail))")
            #expect(failover.detail.contains("moved back to up1 at \(Self.at(12))"))
        } else {
            #expect(mismatches.count == 1)
            #expect(mismatches.first?.expected?.name == "up2" && mismatches.first?.actual?.name == "up1")
            #expect(mismatches.first?.packets == 30)
        }
        #expect(result.teams.first?.linkState == "observed")
    }

    /// A hashing team that loses an uplink live: everything on the survivor is right, and the
    /// loss is a failover finding.
    @Test func aHashingTeamLosingAnUplinkLive() throws {
        let team = Team(name: "ft", uplinks: ["up1", "up2"], policy: .ipHash, interfaces: ["vmk"])
        var links = LinkHistory()
        links.observe("up2", up: false, at: Self.at(3))
        // .22 hashes to up2 (11 ^ 22 = 29, odd) while both are up, to up1 once up2 is down.
        let result = Self.analyse(
            [
                .init(peer: "10.98.0.22", uplink: "up2", at: 0, count: 20, interval: 0.1),
                .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up1", at: 5, count: 20, interval: 0.1),
            ], team: team, links: links)
        #expect(result.findings.filter { $0.kind == .uplinkMismatch }.isEmpty, "\(result.findings.map(\.detail))")
        let failover = try #require(result.findings.first { $0.kind == .failover })
        #expect(failover.expected?.name == "up2" && failover.actual == nil && failover.packets == 20)
    }

    /// VMware IP hash, worked in the test from the documented formula: (last octet of source
    /// XOR last octet of destination) mod the number of uplinks. 11 ^ 21 = 30, 11 ^ 22 = 29,
    /// 11 ^ 23 = 28, 11 ^ 24 = 19: even, odd, even, odd → up1, up2, up1, up2.
    @Test func ipHashWithSeveralPairsAndOneFlowOnTheWrongUplink() throws {
        let team = Team(name: "ft", uplinks: ["up1", "up2"], policy: .ipHash, interfaces: ["vmk"])
        let placed: [(String, String)] = [("10.98.0.21", "up1"), ("10.98.0.22", "up2"), ("10.98.0.24", "up2")]
        var flows = placed.enumerated().map { index, pair in
            TeamTraffic.Flow(peer: pair.0, sourcePort: 40000 + UInt16(index), uplink: pair.1)
        }
        flows.append(.init(peer: "10.98.0.23", sourcePort: 40009, uplink: "up2", count: 70))  // 28 is even: up1
        let result = Self.analyse(flows, team: team)
        let mismatches = result.findings.filter { $0.kind == .uplinkMismatch }
        #expect(mismatches.count == 1)
        #expect(mismatches.first?.flow == "10.98.0.11:40009->10.98.0.23:9999/udp")
        #expect(mismatches.first?.expected?.name == "up1" && mismatches.first?.actual?.name == "up2")
        #expect(mismatches.first?.packets == 70)
        #expect(result.teams.first?.linkState == "assumed-up")
        #expect(result.teams.first?.flows.filter { $0.verdict == "ok" }.count == 3)
        // top's TEAM-PNIC for the riding interface: both uplinks, the wrong one with its prediction.
        #expect(result.teamUplinkText(of: "vmk") == "up1,up2(predicted up1)")
        #expect(result.teamUplinkText(of: "up1") == nil)
    }

    /// The FT-logging case: one address pair on an IP-hash team puts everything on one uplink.
    @Test func onePairOnAHashingTeamIsAnImbalance() throws {
        let team = Team(name: "ft", uplinks: ["up1", "up2"], policy: .ipHash, interfaces: ["vmk"])
        let result = Self.analyse(
            [.init(peer: "10.98.0.21", uplink: "up1", count: 150), .init(peer: "10.98.0.21", sourcePort: 40001, uplink: "up1", count: 150)],
            team: team)
        let imbalance = try #require(result.findings.first { $0.kind == .teamImbalance })
        #expect(imbalance.actual?.name == "up1")
        #expect(imbalance.shares == ["up1": 1, "up2": 0])
        #expect(imbalance.detail.contains("10.98.0.11→10.98.0.21 is 100%"))
        #expect(!result.findings.contains { $0.kind == .uplinkMismatch })
    }

    @Test func aSourceMACTeamKeepsEachSourceOnOneUplink() throws {
        let team = Team(name: "ft", uplinks: ["up1", "up2"], policy: .sourceMAC, interfaces: ["vmk"])
        let result = Self.analyse(
            [.init(peer: "10.98.0.21", uplink: "up1", count: 100), .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up2", count: 20)],
            team: team)
        let mismatch = try #require(result.findings.first { $0.kind == .uplinkMismatch })
        #expect(mismatch.expected?.name == "up1" && mismatch.actual?.name == "up2" && mismatch.packets == 20)
        #expect(result.teams.first?.unpredictableFlows == 2)
    }

    /// N-1 with a configured capacity: 10 Mbit/s per uplink. Each uplink carries 100 datagrams of
    /// 142 bytes on the wire in 0.99 s... scaled by the interval so the rates are exact figures.
    @Test(arguments: [(0.004, true), (0.02, false)])
    func n1RiskWithTheFigures(interval: Double, risky: Bool) throws {
        var team = Team(name: "ft", uplinks: ["up1", "up2"], policy: .ipHash, interfaces: ["vmk"])
        team.capacityMegabitsPerSecond = 0.5
        team.imbalanceThreshold = 1
        // 250 packets of 142 bytes each way over the same span on each uplink.
        let result = Self.analyse(
            [
                .init(peer: "10.98.0.21", uplink: "up1", count: 251, interval: interval),
                .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up2", count: 251, interval: interval),
            ], team: team)
        let seconds = 250 * interval
        let perUplink = 251.0 * 142 * 8 / seconds  // bits per second
        let risk = result.findings.first { $0.kind == .n1CongestionRisk }
        if risky {
            let risk = try #require(risk)
            #expect(perUplink > 250_000, "each uplink above half of 0.5 Mbit/s")
            #expect(abs(risk.projectedBitsPerSecond! - 2 * perUplink) < 1)
            #expect(risk.capacityBitsPerSecond == 500_000)
            #expect(abs(risk.utilization! - 2 * perUplink / 500_000) < 1e-9)
            #expect(risk.direction == "out")
        } else {
            #expect(perUplink < 250_000)
            #expect(risk == nil)
        }
    }

    /// N-1 offline on a failover team: the idle standby is inferred down for its silence, but it
    /// is still the survivor that would take the active uplink's load.
    @Test func n1OnAFailoverTeamOffline() throws {
        var team = Self.failover
        team.capacityMegabitsPerSecond = 0.1
        let result = Self.analyse([.init(peer: "10.98.0.21", uplink: "up1", count: 101, interval: 0.01)], team: team)
        let risk = try #require(result.findings.first { $0.kind == .n1CongestionRisk })
        #expect(risk.expected?.name == "up1" && risk.actual?.name == "up2")
        #expect(abs(risk.projectedBitsPerSecond! - 101 * 142 * 8) < 1, "101 packets of 142 bytes in 1 s")
    }

    /// encap3+4 cannot be predicted: flows may sit on either uplink, but one flow stays on one.
    @Test func anUnpredictableHashChecksThatEachFlowStaysOnOneUplink() throws {
        let team = Team(name: "ft", uplinks: ["up1", "up2"], policy: .lacp(.encap34), interfaces: ["vmk"])
        let spread = Self.analyse(
            [.init(peer: "10.98.0.21", uplink: "up1"), .init(peer: "10.98.0.22", sourcePort: 40001, uplink: "up2")],
            team: team)
        #expect(spread.findings.filter { $0.kind == .uplinkMismatch }.isEmpty, "\(spread.findings.map(\.detail))")
        #expect(spread.teams.first?.unpredictableFlows == 2)
        let split = Self.analyse(
            [.init(peer: "10.98.0.21", uplink: "up1"), .init(peer: "10.98.0.21", uplink: "up2", at: 0.005, count: 10)],
            team: team)
        let mismatch = try #require(split.findings.first { $0.kind == .uplinkMismatch })
        #expect(mismatch.expected?.name == "up1" && mismatch.actual?.name == "up2" && mismatch.packets == 10)
    }

    /// Linux active-backup without a primary does not fail back: after up1 returns, the bond
    /// stays on up2 (bond_miimon_commit reselects only for the primary).
    @Test func activeBackupWithoutAPrimaryStaysOnTheSurvivor() {
        let team = Team(name: "bond0", uplinks: ["up1", "up2"], policy: .activeBackup, interfaces: ["vmk"])
        var links = LinkHistory()
        links.observe("up1", up: false, at: Self.at(3))
        links.observe("up1", up: true, at: Self.at(5))
        let result = Self.analyse(
            [
                .init(peer: "10.98.0.21", uplink: "up1", at: 0, count: 20, interval: 0.1),
                .init(peer: "10.98.0.21", sourcePort: 40001, uplink: "up2", at: 8, count: 20, interval: 0.1),
            ], team: team, links: links)
        #expect(result.findings.filter { $0.kind == .uplinkMismatch }.isEmpty, "\(result.findings.map(\.detail))")
    }

    /// A rider captured together with its uplinks is counted once, where it was captured.
    @Test func aRiderCapturedWithItsUplinksIsCountedOnce() throws {
        var config = TeamTraffic.config(Self.failover)
        config.intents = [
            Intent(name: "ft", selector: IntentSelector(protocols: [17]), expectedEgress: "vmk")
        ]
        var analysis = TrafficAnalysis(config: config, maxFlows: 1000)
        for packet in TeamTraffic.packets([.init(peer: "10.98.0.21", uplink: "up1")]) {
            for interface in ["vmk", "up1"] {
                let slot = analysis.interface(named: interface)
                packet.frame.withUnsafeBytes { bytes in
                    analysis.ingest(
                        CaptureRecord(
                            timestamp: packet.timestamp, linkType: .ethernet, interfaceID: 0,
                            originalLength: packet.wireLength, direction: .outbound, data: bytes),
                        interface: slot)
                }
            }
        }
        let result = analysis.result()
        #expect(result.intents.first?.egress.map(\.packets) == [100])
        #expect(result.findings.isEmpty, "\(result.findings.map(\.detail))")
        #expect(result.teams.first?.teamPNIC == ["vmk": "up1"])
    }
}
