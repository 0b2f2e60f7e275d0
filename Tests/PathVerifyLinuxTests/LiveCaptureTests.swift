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
                delivered += 1
                // The datagrams to port 9 (the inbound ones also draw ICMP port unreachables).
                let packet = PacketDecoder.decode(record.data, linkType: record.linkType)
                guard packet.destinationPort == 9 else { return }
                if firstArrival == nil { firstArrival = clock.now }
                counts[record.direction, default: 0] += 1
            })
        #expect(end == .duration)
        #expect(counts == [.inbound: 3, .outbound: 2], "each direction's packets once, from its own handle")
        // With the direction chosen in userland only, each ring would count every packet: twice the sum.
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

    @Test func theUsersFilterRunsWithTheDirectionInTheKernel() throws {
        let pair = try VethCountersTests.makePair(tag: 9)
        defer { pair.remove() }
        let capture = try LiveCapture(interfaces: [pair.local], options: LiveCaptureOptions(filter: "udp port 9"))
        var counts: [Direction: Int] = [:]
        var others = 0
        var sent = false
        _ = capture.run(
            limits: LiveCapture.Limits(durationNanoseconds: 1_500_000_000), signals: nil,
            tickNanoseconds: 200_000_000,
            tick: {
                guard !sent else { return }
                sent = true
                try? pair.sendDatagrams(3, to: pair.localAddress, fromPeer: true)
                try? pair.sendDatagrams(2, to: pair.silentAddress)
            },
            afterDispatch: {},
            { record in
                let packet = PacketDecoder.decode(record.data, linkType: record.linkType)
                if packet.destinationPort == 9 { counts[record.direction, default: 0] += 1 } else { others += 1 }
            })
        #expect(counts == [.inbound: 3, .outbound: 2])
        #expect(others == 0, "the ICMP answers do not pass 'udp port 9'")
        let statistics = capture.statistics()
        #expect(statistics.first?.received == 5 && statistics.first?.dropped == 0, "\(statistics)")
    }

    /// A cooked handle (`any` here; PPP, IPoIB and tunnels alike) gets its direction program from
    /// libpcap, which moves the packet-type test to where the kernel keeps it.
    @Test func aCookedHandleKeepsItsDirectionAndTheUsersFilter() throws {
        let lab = try NetlinkRouteSourceTests.makeLab(tag: 4)
        defer { lab.remove() }
        let namespace = lab.namespace
        // Out of x1 to a static neighbour's MAC: the frame leaves x1 and arrives on y1.
        _ = try lab.ip(["neigh", "replace", "10.98.0.50", "lladdr", "02:00:5e:00:00:50", "dev", "x1", "nud", "permanent"])
        let outcome = try lab.run { () throws -> [String] in
            let options = LiveCaptureOptions(filter: "udp port 9")
            let handles = try [Direction.inbound, .outbound].map { direction throws(LiveCaptureError) in
                try LiveHandle(interface: "any", direction: direction, options: options)
            }
            try VethPair.run(
                VethPair.ipPath,
                ["netns", "exec", namespace, "bash", "-c", "for i in 1 2 3 4; do printf x > /dev/udp/10.98.0.50/9; done"])
            var seen: [String] = []
            let deadline = ContinuousClock.now + .seconds(2)
            while seen.count < 8 && ContinuousClock.now < deadline {
                for handle in handles {
                    _ = try handle.dispatch(interfaceID: 0, limit: nil) { record in
                        let packet = PacketDecoder.decode(record.data, linkType: record.linkType)
                        seen.append("\(record.linkType == .linuxSLL) \(handle.direction) \(packet.destinationPort)")
                    }
                }
                usleep(50_000)
            }
            return seen.sorted() + handles.map { "\($0.direction) \($0.statistics().map { "\($0.received)" } ?? "?")" }
        }
        let cooked = Array(repeating: "true in 9", count: 4) + Array(repeating: "true out 9", count: 4)
        #expect(outcome == cooked + ["in 4", "out 4"], "y1 took 4 in, x1 sent 4 out, each once")
    }
}
