import Testing

@testable import PathVerifyCore

/// The sampler driven by fake sources: what the kernel says at each pass is set by the test.
@Suite struct CounterSamplerTests {
    final class FakeCounters: InterfaceCounterSource {
        var samples: [String: CounterSample] = [:]
        var reads: [String] = []
        func sample(_ name: String) throws -> CounterSample? {
            reads.append(name)
            return samples[name]
        }
    }

    final class FakeHost: HostInterfaceSource {
        var host: [HostInterface]
        var lookups: [String] = []
        init(_ host: [HostInterface]) { self.host = host }
        func interfaces() throws -> [HostInterface] { host }
        func interface(named name: String) throws -> HostInterface? {
            lookups.append(name)
            return host.first { $0.name == name }
        }
    }

    static let eth1 = HostInterface(
        name: "eth1", ifindex: 3, operationalState: .up, isUp: true, speedMegabitsPerSecond: 1_000)
    static let eth2 = HostInterface(
        name: "eth2", ifindex: 4, operationalState: .down, isUp: true, speedMegabitsPerSecond: nil)

    static func sample(_ interface: HostInterface, tx: UInt64, at seconds: UInt64) -> CounterSample {
        CounterSample(
            ifindex: interface.ifindex, operationalState: interface.operationalState,
            counters: InterfaceCounters(txPackets: tx), monotonicNanoseconds: seconds * 1_000_000_000)
    }

    @Test func rowsInOrderWithAliasRoleAndRatesFromTheSecondPass() throws {
        let config = Config(interfaces: [InterfaceConfig(name: "eth2", alias: "vmk2", role: "vMotion-2")])
        var sampler = CounterSampler(interfaces: [Self.eth2, Self.eth1], config: config)
        let counters = FakeCounters()
        let host = FakeHost([Self.eth1, Self.eth2])
        counters.samples = [
            "eth1": Self.sample(Self.eth1, tx: 100, at: 1), "eth2": Self.sample(Self.eth2, tx: 0, at: 1),
        ]
        let first = try sampler.sample(counters: counters, facts: host)
        #expect(first.map(\.name) == ["eth2", "eth1"])
        #expect(first[0].alias == "vmk2" && first[0].role == "vMotion-2" && first[0].state == .down)
        #expect(first[1].alias == nil && first[1].speedMegabitsPerSecond == 1_000)
        #expect(first.allSatisfy { $0.interval == .first })

        counters.samples["eth1"] = Self.sample(Self.eth1, tx: 300, at: 3)
        counters.samples["eth2"] = Self.sample(Self.eth2, tx: 0, at: 3)
        let second = try sampler.sample(counters: counters, facts: host)
        #expect(try #require(second[1].interval.rates).txPacketsPerSecond == 100)
        #expect(try #require(second[0].interval.rates).txPacketsPerSecond == 0)
        // Nothing changed, so the facts were never read again.
        #expect(host.lookups.isEmpty)
        #expect(counters.reads == ["eth2", "eth1", "eth2", "eth1"])
    }

    @Test func aLinkThatComesUpHasItsSpeedReadAgain() throws {
        var sampler = CounterSampler(interfaces: [Self.eth2])
        let counters = FakeCounters()
        let host = FakeHost([Self.eth2])
        counters.samples["eth2"] = Self.sample(Self.eth2, tx: 0, at: 1)
        #expect(try sampler.sample(counters: counters, facts: host)[0].speedMegabitsPerSecond == nil)

        var up = Self.eth2
        up.operationalState = .up
        up.speedMegabitsPerSecond = 10_000
        host.host = [up]
        counters.samples["eth2"] = Self.sample(up, tx: 10, at: 2)
        let row = try sampler.sample(counters: counters, facts: host)[0]
        #expect(row.state == .up && row.speedMegabitsPerSecond == 10_000)
        #expect(host.lookups == ["eth2"])
    }

    @Test func aGoneInterfaceHasAGoneRowAndIsNewWhenItReturns() throws {
        var sampler = CounterSampler(interfaces: [Self.eth1])
        let counters = FakeCounters()
        let host = FakeHost([Self.eth1])
        counters.samples["eth1"] = Self.sample(Self.eth1, tx: 5, at: 1)
        _ = try sampler.sample(counters: counters, facts: host)

        counters.samples["eth1"] = nil
        host.host = []
        let gone = try sampler.sample(counters: counters, facts: host)[0]
        #expect(gone.interval == .gone && gone.state == nil && gone.stateText == "gone")
        #expect(gone.speedMegabitsPerSecond == nil)

        var again = Self.eth1
        again.ifindex = 12
        host.host = [again]
        counters.samples["eth1"] = Self.sample(again, tx: 2, at: 3)
        let back = try sampler.sample(counters: counters, facts: host)[0]
        #expect(back.interval == .first && back.speedMegabitsPerSecond == 1_000)
        #expect(sampler.watched[0].facts?.ifindex == 12)
    }
}
