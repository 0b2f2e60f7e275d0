import Foundation
import Glibc
import PathVerifyCore
import Testing

@testable import PathVerifyLinux

/// Facts and counters of a real veth pair, one end here and its peer in a namespace made for
/// the test. Needs root and network namespaces; cancelled (reported as skipped) without them.
@Suite struct VethCountersTests {
    static func makePair(tag: Int) throws -> VethPair {
        do {
            return try VethPair(tag: tag)
        } catch let error as VethPair.Unavailable {
            try Test.cancel("veth tests need root and network namespaces: \(error)")
        }
    }

    @Test func factsAndCountersOfAVethPair() throws {
        let pair = try Self.makePair(tag: 1)
        defer { pair.remove() }
        let facts = SysfsHostInterfaceSource()
        let counters = SysfsCounterSource()
        #expect(try VethPair.eventually { try counters.sample(pair.local)?.operationalState == .up })

        let local = try #require(try facts.interface(named: pair.local))
        #expect(local.ifindex == Int(if_nametoindex(pair.local)))
        #expect(local.mac == pair.localMAC)
        #expect(local.addresses == [IPPrefix(address: pair.localAddress, length: 29)])
        #expect(local.operationalState == .up && local.isUp && !local.isLoopback)
        // veth reports a fixed 10000 Mb/s (drivers/net/veth.c).
        #expect(local.speedMegabitsPerSecond == 10_000)
        #expect(InterfaceSelection.defaults(from: try facts.interfaces()).contains { $0.name == pair.local })

        // Out: to an address only the neighbour table knows; the peer drops these silently.
        let start = try #require(try counters.sample(pair.local))
        try pair.sendDatagrams(5, to: pair.silentAddress)
        let sent = try #require(try counters.sample(pair.local))
        let out = try #require(CounterInterval(from: start, to: sent).rates)
        #expect(out.growth == InterfaceCounters(txPackets: 5, txBytes: 5 * VethPair.oneByteDatagramLength))

        // In: from the peer to the local address.
        try pair.sendDatagrams(3, to: pair.localAddress, fromPeer: true)
        let received = try #require(try counters.sample(pair.local))
        let incoming = try #require(CounterInterval(from: sent, to: received).rates)
        #expect(incoming.growth.rxPackets == 3)
        #expect(incoming.growth.rxBytes == 3 * VethPair.oneByteDatagramLength)
        #expect(incoming.rxPacketsPerSecond > 0 && incoming.rxDroppedPercent == 0)
    }

    @Test func aPeerGoingDownAndTheInterfaceGoingAway() throws {
        let pair = try Self.makePair(tag: 2)
        defer { pair.remove() }
        let facts = SysfsHostInterfaceSource()
        let counters = SysfsCounterSource()
        let local = try #require(try facts.interface(named: pair.local))
        var sampler = CounterSampler(interfaces: [local])
        #expect(try VethPair.eventually { try counters.sample(pair.local)?.operationalState == .up })
        _ = try sampler.sample(counters: counters, facts: facts)

        // The peer's end going down takes the local end's carrier: its state follows.
        try pair.inNamespace(["ip", "link", "set", pair.peer, "down"])
        #expect(try VethPair.eventually { try sampler.sample(counters: counters, facts: facts)[0].state == .down })
        #expect(sampler.watched[0].facts?.operationalState == .down)

        try VethPair.ip(["link", "del", pair.local])
        #expect(try counters.sample(pair.local) == nil)
        #expect(try facts.interface(named: pair.local) == nil)
        #expect(try !facts.interfaces().contains { $0.name == pair.local })
        let row = try sampler.sample(counters: counters, facts: facts)[0]
        #expect(row.interval == .gone && row.stateText == "gone")
    }

    @Test func aRecreatedInterfaceIsAResetNotAHugeRate() throws {
        var pair = try Self.makePair(tag: 3)
        defer { pair.remove() }
        let facts = SysfsHostInterfaceSource()
        let counters = SysfsCounterSource()
        var sampler = CounterSampler(interfaces: [try #require(try facts.interface(named: pair.local))])
        try pair.sendDatagrams(30, to: pair.silentAddress)
        #expect(try sampler.sample(counters: counters, facts: facts)[0].interval == .first)
        let oldIndex = try #require(sampler.watched[0].facts?.ifindex)

        // Deleted and made again under the same name between two samples.
        pair.remove()
        pair = try Self.makePair(tag: 3)
        #expect(try sampler.sample(counters: counters, facts: facts)[0].interval == .reset)
        #expect(sampler.watched[0].facts?.ifindex != oldIndex)

        try pair.sendDatagrams(2, to: pair.silentAddress)
        let rates = try #require(try sampler.sample(counters: counters, facts: facts)[0].interval.rates)
        #expect(rates.growth.txPackets == 2)
    }
}
