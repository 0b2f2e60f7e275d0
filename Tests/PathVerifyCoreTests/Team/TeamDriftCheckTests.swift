import Testing

@testable import PathVerifyCore

/// Config teams against the bonds of `BondFixtures`: bond0 active-backup eth0, eth1 (primary eth0);
/// bond1 balance-xor layer2+3 eth2, eth3; bond2 802.3ad layer3+4 eth4, eth5, eth6; bond3
/// balance-rr eth7, eth8.
@Suite struct TeamDriftCheckTests {
    static func bonds() throws -> [BondStatus] {
        try ["bond0", "bond1", "bond2", "bond3"].map(BondFixtures.bond)
    }

    static func details(_ teams: [Team]) throws -> [String] {
        TeamDriftCheck.findings(teams: teams, bonds: try bonds()).map(\.detail)
    }

    @Test func aTeamThatMatchesItsBondGivesNothing() throws {
        let teams = [
            Team(name: "bond0", uplinks: ["eth0", "eth1"], policy: .activeBackup, primary: "eth0"),
            Team(name: "bond1", uplinks: ["eth2", "eth3"], policy: .balanceXOR(.layer23)),
            Team(name: "bond2", uplinks: ["eth4", "eth5", "eth6"], policy: .lacp(.layer34)),
        ]
        #expect(TeamDriftCheck.findings(teams: teams, bonds: try Self.bonds()).isEmpty)
        // Each bond's own team matches it.
        let own = try Self.bonds().compactMap(\.team)
        #expect(own.count == 3)
        #expect(TeamDriftCheck.findings(teams: own, bonds: try Self.bonds()).isEmpty)
    }

    @Test func policyAndMembersDifferInOneSentence() throws {
        let team = Team(name: "bond2", uplinks: ["eth4", "eth5", "eth6", "eth3"], policy: .balanceXOR(.layer34))
        let findings = TeamDriftCheck.findings(teams: [team], bonds: try Self.bonds())
        #expect(
            findings
                == [
                    Finding(
                        kind: .teamConfigDrift, intent: nil, team: "bond2", direction: nil, expected: nil, actual: nil,
                        address: nil, macs: nil, packets: 0, bytes: 0, flows: 0, packetsPerSecond: nil,
                        bitsPerSecond: nil, firstSeen: Timestamp(nanoseconds: 0), lastSeen: Timestamp(nanoseconds: 0),
                        sampleFlows: [],
                        detail: "config says policy balance-xor layer3+4, kernel bond2 runs 802.3ad layer3+4; "
                            + "member eth3 is in the config but not in the bond")
                ])
    }

    @Test func hashPolicyAlone() throws {
        let team = Team(name: "bond2", uplinks: ["eth4", "eth5", "eth6"], policy: .lacp(.layer23))
        #expect(try Self.details([team]) == ["config says hash policy layer2+3, kernel bond2 hashes layer3+4"])
    }

    @Test func orderAndPrimaryOfATeamRidingOnTheBond() throws {
        // Named otherwise, found through the interface that rides on it.
        let team = Team(
            name: "storage", uplinks: ["eth1", "eth0"], policy: .activeBackup, primary: "eth1", interfaces: ["bond0"])
        #expect(
            try Self.details([team]) == [
                "config orders the members eth1, eth0, kernel bond0 orders them eth0, eth1; "
                    + "config says primary eth1, kernel bond0 prefers eth0"
            ])
        let findings = TeamDriftCheck.findings(teams: [team], bonds: try Self.bonds())
        #expect(findings.map(\.team) == ["storage"] && findings.map(\.kind) == [.teamConfigDrift])
    }

    @Test func primaryOnOneSideOnly() throws {
        let none = Team(name: "bond0", uplinks: ["eth0", "eth1"], policy: .activeBackup)
        let some = Team(name: "bond1", uplinks: ["eth2", "eth3"], policy: .balanceXOR(.layer23), primary: "eth3")
        #expect(
            try Self.details([none, some]) == [
                "config names no primary, kernel bond0 prefers eth0",
                "config says primary eth3, kernel bond1 has none",
            ])
    }

    @Test func aVMwarePolicyAgainstABondFoundByItsSlaves() throws {
        let team = Team(name: "vmotion", uplinks: ["eth3", "eth2"], policy: .explicitFailover, standby: ["eth2"])
        #expect(
            try Self.details([team]) == [
                "config says policy failover, kernel bond1 runs balance-xor layer2+3; "
                    + "config orders the members eth3, eth2, kernel bond1 orders them eth2, eth3"
            ])
    }

    @Test func aBondModePathverifyDoesNotModel() throws {
        let team = Team(name: "bond3", uplinks: ["eth7", "eth8", "eth9", "eth10"], policy: .activeBackup)
        #expect(
            try Self.details([team]) == [
                "config says policy active-backup, kernel bond3 runs balance-rr; "
                    + "members eth9, eth10 are in the config but not in the bond"
            ])
    }

    @Test func membersOnlyInTheBond() throws {
        let team = Team(name: "bond2", uplinks: ["eth5"], policy: .lacp(.layer34))
        #expect(try Self.details([team]) == ["members eth4, eth6 are in the bond but not in the config"])
    }

    @Test func aTeamWithNoBondGivesNothing() throws {
        let vSwitch = Team(name: "vSwitch1", uplinks: ["vmnic0", "vmnic1"], policy: .originatingPort)
        let partial = Team(name: "partial", uplinks: ["eth2"], policy: .balanceXOR(.layer23))
        #expect(TeamDriftCheck.findings(teams: [vSwitch, partial], bonds: try Self.bonds()).isEmpty)
        #expect(TeamDriftCheck.findings(teams: [vSwitch], bonds: []).isEmpty)
        let empty = Team(name: "empty", uplinks: [], policy: .activeBackup)
        let noSlaves = BondStatus(name: "bond7", mode: .activeBackup)
        #expect(TeamDriftCheck.findings(teams: [empty], bonds: [noSlaves]).isEmpty)
    }

    @Test func findingsFollowTheTeamsOrder() throws {
        let teams = [
            Team(name: "bond3", uplinks: ["eth7", "eth8"], policy: .balanceXOR(.layer2)),
            Team(name: "bond0", uplinks: ["eth0", "eth1"], policy: .activeBackup, primary: "eth0"),
            Team(name: "bond1", uplinks: ["eth2", "eth3"], policy: .lacp(.layer23)),
        ]
        let findings = TeamDriftCheck.findings(teams: teams, bonds: try Self.bonds())
        #expect(findings.map(\.team) == ["bond3", "bond1"])
        #expect(findings.allSatisfy { $0.packets == 0 && $0.bytes == 0 && $0.flows == 0 && $0.sampleFlows.isEmpty })
        #expect(findings.allSatisfy { !$0.kind.countsTraffic })
        #expect(
            findings.map(\.detail) == [
                "config says policy balance-xor layer2, kernel bond3 runs balance-rr",
                "config says policy 802.3ad layer2+3, kernel bond1 runs balance-xor layer2+3",
            ])
    }
}
