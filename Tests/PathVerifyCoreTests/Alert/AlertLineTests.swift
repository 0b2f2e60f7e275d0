import Testing

@testable import PathVerifyCore

@Suite struct AlertLineTests {
    static let finding = Finding(
        kind: .egressMismatch, intent: "storage", direction: "out",
        expected: InterfaceRef(name: "eth2", alias: "vmk2"), actual: InterfaceRef(name: "eth1", alias: "vmk1"),
        address: nil, macs: nil, packets: 12, bytes: 9120, flows: 3, packetsPerSecond: 1.25, bitsPerSecond: nil,
        firstSeen: Timestamp(seconds: 1_795_000_000), lastSeen: Timestamp(seconds: 1_795_000_009),
        sampleFlows: ["tcp 10.0.0.1:4000 > 10.0.0.2:3260 on eth1 out: 12 packets, 9120 bytes"],
        flow: "10.0.0.1:4000->10.0.0.2:3260/tcp", detail: "d")

    @Test func findingLineHasTheEventWordThenStablePairs() {
        let line = AlertLine.finding(Self.finding).description
        #expect(
            line == "FINDING kind=egress-mismatch intent=storage direction=out expected=eth2(vmk2) actual=eth1(vmk1) "
                + "flow=10.0.0.1:4000->10.0.0.2:3260/tcp flows=3 packets=12 bytes=9120 rate=1.3pps "
                + "first=2026-11-18T11:06:40.000000Z last=2026-11-18T11:06:49.000000Z")
    }

    /// A team finding names its team, and N-1 carries its figures.
    @Test func teamFindingsNameTheTeamAndN1ItsFigures() {
        var risk = Self.finding
        risk.kind = .n1CongestionRisk
        risk.intent = nil
        risk.team = "ft"
        risk.expected = InterfaceRef(name: "up1")
        risk.actual = InterfaceRef(name: "up2")
        risk.flow = nil
        risk.packetsPerSecond = nil
        risk.projectedBitsPerSecond = 1_300_000_000
        risk.capacityBitsPerSecond = 1_000_000_000
        risk.utilization = 1.3
        #expect(
            AlertLine.finding(risk).description
                == "FINDING kind=n-1-congestion-risk team=ft direction=out expected=up1 actual=up2 utilization=130% "
                + "projected_bps=1300000000 capacity_bps=1000000000 flows=3 packets=12 bytes=9120 "
                + "first=2026-11-18T11:06:40.000000Z last=2026-11-18T11:06:49.000000Z")
        #expect(AlertKey(risk).team == "ft")
        var drift = risk
        drift.kind = .teamConfigDrift
        drift.detail = "config says policy failover, kernel bond0 runs active-backup"
        #expect(AlertLine.finding(drift).description.contains("reason=\"config says policy failover, kernel bond0 runs active-backup\""))
        #expect(!AlertLine.finding(drift).description.contains("packets="))
    }

    @Test func valuesAreASCIIAndQuotedWhereTheyWouldSplit() {
        let line = AlertLine("RELOAD_FAILED", severity: .error, [.init("error", "bad \"x\" = é\n"), .init("empty", "")])
        #expect(line.description == "RELOAD_FAILED error=\"bad 'x' = ??\" empty=\"\"")
        #expect(line["empty"] == "")
    }

    @Test func aLongLineDropsWholePairsAndSaysSo() {
        let fields = (0..<100).map { AlertLine.Field("key\($0)", String(repeating: "v", count: 20)) }
        let text = AlertLine("RAISED", severity: .warning, fields).description
        #expect(text.utf8.count <= AlertLine.maxBytes)
        #expect(text.hasSuffix(" truncated=yes"))
        #expect(text.hasPrefix("RAISED key0=vvvv"))
        #expect(!text.contains("key99"))
        // A line that fits exactly is not marked.
        let short = AlertLine("STOPPED", severity: .info, Array(fields.prefix(3))).description
        #expect(!short.contains("truncated"))
    }

    @Test func durationsReadBackInTheirUnits() {
        #expect(DurationText.text(60_000_000_000) == "1m")
        #expect(DurationText.text(45_000_000_000) == "45s")
        #expect(DurationText.text(7_200_000_000_000) == "2h")
        #expect(DurationText.text(1_500_000_000) == "1.5s")
        #expect(DurationText.nanoseconds("2m") == 120_000_000_000)
        #expect(DurationText.nanoseconds("0.5") == 500_000_000)
        #expect(DurationText.nanoseconds("ten") == nil)
        #expect(DurationText.nanoseconds("-1s") == nil)
    }
}
