import Testing

@testable import PathVerifyCore

/// Counter-rate arithmetic: esxtop's six columns, resets, 64-bit edges, empty intervals.
@Suite struct CounterRatesTests {
    static let second: UInt64 = 1_000_000_000

    static func sample(
        _ counters: InterfaceCounters, at nanoseconds: UInt64, ifindex: Int = 3, state: OperationalState = .up
    ) -> CounterSample {
        CounterSample(ifindex: ifindex, operationalState: state, counters: counters, monotonicNanoseconds: nanoseconds)
    }

    static func rates(_ earlier: InterfaceCounters, _ later: InterfaceCounters, seconds: Double = 1) throws
        -> CounterRates
    {
        let interval = CounterInterval(
            from: sample(earlier, at: 5 * second), to: sample(later, at: 5 * second + UInt64(seconds * 1e9)))
        return try #require(interval.rates, "\(interval)")
    }

    @Test func packetAndMegabitRatesOverTheInterval() throws {
        // 2 s: 3000 packets and 2^20 bytes out (8 Mb of 2^20 bits), 1000 packets and 2^19 bytes in.
        let rates = try Self.rates(
            InterfaceCounters(rxPackets: 100, txPackets: 200, rxBytes: 10_000, txBytes: 20_000),
            InterfaceCounters(
                rxPackets: 1_100, txPackets: 3_200, rxBytes: 10_000 + 524_288, txBytes: 20_000 + 1_048_576),
            seconds: 2)
        #expect(rates.txPacketsPerSecond == 1_500)
        #expect(rates.rxPacketsPerSecond == 500)
        #expect(rates.txMegabitsPerSecond == 4)
        #expect(rates.rxMegabitsPerSecond == 2)
        #expect(rates.txDroppedPercent == 0)
        #expect(rates.rxDroppedPercent == 0)
        #expect(rates.intervalNanoseconds == 2 * Self.second)
    }

    @Test func megabitIsTwoToTheTwentiethBitsLikeEsxtop() throws {
        // esxtop's sample row: 1318.8 packets/s of 363 bytes is 3.65 MbTX/s only with 2^20 bits.
        let rates = try Self.rates(
            InterfaceCounters(), InterfaceCounters(txPackets: 13_188, txBytes: 13_188 * 363), seconds: 10)
        #expect(fixed(rates.txMegabitsPerSecond, 2) == "3.65")
    }

    @Test func droppedPercentIsDropsOverPassedPlusDropped() throws {
        let rates = try Self.rates(
            InterfaceCounters(rxPackets: 10, txPackets: 10, rxDropped: 7, txDropped: 7),
            InterfaceCounters(rxPackets: 10 + 99, txPackets: 10 + 75, rxDropped: 7 + 1, txDropped: 7 + 25))
        #expect(rates.txDroppedPercent == 25)
        #expect(rates.rxDroppedPercent == 1)
    }

    @Test func allDroppedIsAHundredPercentAndIdleIsZero() throws {
        let dropped = try Self.rates(InterfaceCounters(), InterfaceCounters(rxDropped: 4, txDropped: 9))
        #expect(dropped.txDroppedPercent == 100 && dropped.rxDroppedPercent == 100)
        let idle = try Self.rates(InterfaceCounters(txPackets: 5), InterfaceCounters(txPackets: 5))
        #expect(idle.txDroppedPercent == 0 && idle.rxDroppedPercent == 0 && idle.txPacketsPerSecond == 0)
    }

    @Test func countersNearTwoToTheSixtyFourAreExact() throws {
        let top = UInt64.max
        let rates = try Self.rates(
            InterfaceCounters(rxPackets: top - 10, txPackets: top - 1_000, rxBytes: top - 1_048_576, txBytes: top - 8),
            InterfaceCounters(rxPackets: top, txPackets: top, rxBytes: top, txBytes: top))
        #expect(rates.growth.rxPackets == 10)
        #expect(rates.growth.txPackets == 1_000)
        #expect(rates.rxMegabitsPerSecond == 8)
        #expect(rates.growth.txBytes == 8)
    }

    @Test func theLargestGrowthGivesAFiniteRate() throws {
        // 2^64 - 1 bytes in a nanosecond: turning bytes into bits must not overflow.
        let interval = CounterInterval(
            from: Self.sample(InterfaceCounters(), at: 1),
            to: Self.sample(InterfaceCounters(txPackets: .max, txBytes: .max, txDropped: .max), at: 2))
        let rates = try #require(interval.rates)
        #expect(rates.txMegabitsPerSecond.isFinite && rates.txMegabitsPerSecond > 1e20)
        #expect(rates.txDroppedPercent == 50)
    }

    @Test func aCounterPastTwoToTheThirtyTwoIsNotAWrap() throws {
        // 32-bit counters are gone from current kernels: growth across 2^32 is growth...
        let across = try Self.rates(
            InterfaceCounters(rxBytes: 4_294_967_290), InterfaceCounters(rxBytes: 4_294_967_296 + 10))
        #expect(across.growth.rxBytes == 16)
        // ...and a fall from near 2^32 to a small value is a reset, never 4 GiB of traffic.
        let fall = CounterInterval(
            from: Self.sample(InterfaceCounters(rxBytes: 4_294_967_290), at: Self.second),
            to: Self.sample(InterfaceCounters(rxBytes: 5), at: 2 * Self.second))
        #expect(fall == .reset)
    }

    @Test(arguments: [
        InterfaceCounters(rxPackets: 9), InterfaceCounters(txPackets: 9), InterfaceCounters(rxBytes: 9),
        InterfaceCounters(txBytes: 9), InterfaceCounters(rxDropped: 9), InterfaceCounters(txDropped: 9),
    ])
    func anyCounterGoingBackwardsIsAReset(earlier: InterfaceCounters) {
        let later = InterfaceCounters()
        #expect(later.growth(since: earlier) == nil)
        #expect(
            CounterInterval(from: Self.sample(earlier, at: Self.second), to: Self.sample(later, at: 2 * Self.second))
                == .reset)
    }

    @Test func aNewIfindexIsAResetEvenIfTheCountersGrew() {
        // The interface was deleted and created again between samples, and the new one has
        // already passed the old one's totals: no rate can be drawn across the two.
        let interval = CounterInterval(
            from: Self.sample(InterfaceCounters(txPackets: 10), at: Self.second, ifindex: 4),
            to: Self.sample(InterfaceCounters(txPackets: 50), at: 2 * Self.second, ifindex: 9))
        #expect(interval == .reset)
    }

    @Test func noElapsedTimeHasNoRates() {
        let counters = InterfaceCounters(txPackets: 1)
        let more = InterfaceCounters(txPackets: 2)
        #expect(
            CounterInterval(from: Self.sample(counters, at: Self.second), to: Self.sample(more, at: Self.second))
                == .noElapsedTime)
        #expect(
            CounterInterval(from: Self.sample(counters, at: 2 * Self.second), to: Self.sample(more, at: Self.second))
                == .noElapsedTime)
        #expect(CounterRates(growth: more, intervalNanoseconds: 0) == nil)
    }
}
