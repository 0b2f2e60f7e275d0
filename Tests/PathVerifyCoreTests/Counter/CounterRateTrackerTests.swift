import Testing

@testable import PathVerifyCore

@Suite struct CounterRateTrackerTests {
    static func sample(tx: UInt64, at seconds: UInt64, ifindex: Int = 2) -> CounterSample {
        CounterSample(
            ifindex: ifindex, operationalState: .up, counters: InterfaceCounters(txPackets: tx),
            monotonicNanoseconds: seconds * 1_000_000_000)
    }

    @Test func theFirstSampleHasNoRatesAndTheSecondHas() throws {
        var tracker = CounterRateTracker()
        #expect(tracker.observe("eth1", Self.sample(tx: 1_000, at: 10)) == .first)
        let second = tracker.observe("eth1", Self.sample(tx: 1_010, at: 12))
        #expect(try #require(second.rates).txPacketsPerSecond == 5)
    }

    @Test func eachInterfaceHasItsOwnBaseline() throws {
        var tracker = CounterRateTracker()
        #expect(tracker.observe("eth1", Self.sample(tx: 0, at: 1)) == .first)
        #expect(tracker.observe("eth2", Self.sample(tx: 500, at: 1)) == .first)
        #expect(try #require(tracker.observe("eth1", Self.sample(tx: 10, at: 2)).rates).txPacketsPerSecond == 10)
        #expect(try #require(tracker.observe("eth2", Self.sample(tx: 520, at: 2)).rates).txPacketsPerSecond == 20)
    }

    @Test func afterAResetRatesRestartFromTheNewValues() throws {
        var tracker = CounterRateTracker()
        _ = tracker.observe("eth1", Self.sample(tx: 9_000_000, at: 1))
        #expect(tracker.observe("eth1", Self.sample(tx: 40, at: 2)) == .reset)
        #expect(try #require(tracker.observe("eth1", Self.sample(tx: 100, at: 4)).rates).txPacketsPerSecond == 30)
    }

    @Test func aGoneInterfaceStartsOverWhenItComesBack() throws {
        var tracker = CounterRateTracker()
        _ = tracker.observe("eth1", Self.sample(tx: 10, at: 1))
        #expect(tracker.observe("eth1", nil) == .gone)
        #expect(tracker.observe("eth1", nil) == .gone)
        #expect(tracker.observe("eth1", Self.sample(tx: 5_000, at: 3, ifindex: 7)) == .first)
        #expect(
            try #require(tracker.observe("eth1", Self.sample(tx: 5_004, at: 4, ifindex: 7)).rates).txPacketsPerSecond
                == 4)
    }

    @Test func aSampleAtTheSameInstantGivesNoRatesAndBecomesTheBaseline() throws {
        var tracker = CounterRateTracker()
        _ = tracker.observe("eth1", Self.sample(tx: 10, at: 1))
        #expect(tracker.observe("eth1", Self.sample(tx: 12, at: 1)) == .noElapsedTime)
        #expect(try #require(tracker.observe("eth1", Self.sample(tx: 20, at: 2)).rates).growth.txPackets == 8)
    }
}
