import Testing

@testable import PathVerifyCore

@Suite struct CounterScreenTests {
    static let time = Timestamp(seconds: 1_795_000_000)

    @Test func firstScreenHasDashesAndSaysWhenRatesCome() {
        let text = CounterScreen.render(
            [
                CounterRow(
                    name: "eth1", alias: "vmk1", role: "vMotion-1", state: .up, speedMegabitsPerSecond: 10_000,
                    interval: .first, verdict: "ok"),
                CounterRow(name: "lo", state: .unknown, interval: .first),
            ], at: Self.time, delaySeconds: 5)
        #expect(
            text == """
                pathverify top: 2026-11-18T11:06:40.000000Z, every 5.00 s

                INTERFACE  ALIAS  ROLE       STATE    SPEED  PKTTX/s  MbTX/s  PKTRX/s  MbRX/s  %DRPTX  %DRPRX  VERDICT  TEAM-PNIC
                eth1       vmk1   vMotion-1  up       10000        -       -        -       -       -       -  -        -
                lo         -      -          unknown      -        -       -        -       -       -       -  -        -

                Rates need two samples: the next comes in 5.00 s.

                """)
    }

    @Test func laterScreensShowRatesVerdictsAndWhyARowHasNone() throws {
        let rates = try #require(
            CounterRates(
                growth: InterfaceCounters(
                    rxPackets: 33_600, txPackets: 13_188, rxBytes: 22_544_384, txBytes: 13_188 * 363, rxDropped: 400),
                intervalNanoseconds: 10_000_000_000))
        let text = CounterScreen.render(
            [
                CounterRow(
                    name: "eth1", alias: "vmk1", role: "vMotion-1", state: .up, speedMegabitsPerSecond: 10_000,
                    interval: .rates(rates), verdict: "egress-mismatch", teamUplink: "up2(predicted up1)"),
                CounterRow(name: "eth2", alias: "vmk2", state: .up, interval: .reset, verdict: "ok"),
                CounterRow(name: "eth3", state: nil, interval: .gone, verdict: "ok"),
            ], at: Self.time, delaySeconds: 10)
        #expect(
            text == """
                pathverify top: 2026-11-18T11:06:40.000000Z, every 10.00 s

                INTERFACE  ALIAS  ROLE       STATE  SPEED  PKTTX/s  MbTX/s  PKTRX/s  MbRX/s  %DRPTX  %DRPRX  VERDICT          TEAM-PNIC
                eth1       vmk1   vMotion-1  up     10000  1318.80    3.65  3360.00   17.20    0.00    1.18  egress-mismatch  up2(predicted up1)
                eth2       vmk2   -          up         -        -       -        -       -       -       -  ok               -
                eth3       -      -          gone       -        -       -        -       -       -       -  -                -
                eth2: counters went backwards (interface re-created or driver reset); rates resume at the next sample.
                eth3: gone; no interface has this name now.

                """)
    }
}
