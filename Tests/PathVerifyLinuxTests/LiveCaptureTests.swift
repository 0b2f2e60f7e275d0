import Foundation
import Glibc
import PathVerifyCore
import Testing

@testable import PathVerifyLinux

/// `LiveCapture` on a real veth pair, one end here and its peer in a namespace made for the test
/// (no traffic but the test's: IPv6 off, static neighbours). Needs root and network namespaces;
/// cancelled (reported as skipped) without them.
@Suite struct LiveCaptureTests {
    @Test func eachDirectionOnceAndAQuietRingsPacketsWithoutWaitingForATick() throws {
        let pair = try VethCountersTests.makePair(tag: 8)
        defer { pair.remove() }
        let capture = try LiveCapture(interfaces: [pair.local], options: LiveCaptureOptions())
        let clock = ContinuousClock()
        var sent: ContinuousClock.Instant?
        var firstArrival: ContinuousClock.Instant?
        var counts: [Direction: Int] = [:]
        var ticks = 0
        var delivered = 0
        let end = capture.run(
            limits: LiveCapture.Limits(durationNanoseconds: 3_000_000_000), signals: nil,
            tickNanoseconds: 1_000_000_000,
            tick: {
                ticks += 1
                guard ticks == 1 else { return }
                // In the first tick, so that the loop then sleeps towards the next one.
                try? pair.sendDatagrams(3, to: pair.localAddress, fromPeer: true)
                try? pair.sendDatagrams(2, to: pair.silentAddress)
                sent = clock.now
            },
            afterDispatch: {},
            { record in
                if firstArrival == nil { firstArrival = clock.now }
                delivered += 1
                // The datagrams to port 9 (the inbound ones also draw ICMP port unreachables).
                let packet = PacketDecoder.decode(record.data, linkType: record.linkType)
                if packet.destinationPort == 9 { counts[record.direction, default: 0] += 1 }
            })
        #expect(end == .duration)
        #expect(counts == [.inbound: 3, .outbound: 2], "each direction's packets once, from its own handle")
        let statistics = capture.statistics()
        #expect(
            statistics.count == 1 && statistics[0].received == UInt64(delivered) && statistics[0].dropped == 0,
            "libpcap counts each of the \(delivered) packets once: \(statistics)")
        // The ring block holding them times out after 100 ms and wakes the poll; the next tick
        // is a second after the first.
        let sentAt = try #require(sent)
        let arrival = try #require(firstArrival)
        #expect(arrival - sentAt < .milliseconds(600), "first packet \(arrival - sentAt) after sending")
    }
}
