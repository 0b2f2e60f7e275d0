import Foundation
import PathVerifyTestSupport
import Testing

/// The team lab steers the host's flows over its uplinks as the tc filters say, and the peer gets
/// them. Every expectation is read from the kernel's interface counters and the peer's sink, not
/// from pathverify, so pathverify's team tests can rely on the lab.
@Suite(.serialized, .enabled(if: TeamLab.availability.isAvailable, "\(TeamLab.availability)"))
struct TeamLabTests {
    typealias Counters = TeamLab.Counters

    static let packets = 200
    /// What an uplink that carries none of a run may count. The lab has no ARP, no IPv6 and no
    /// multicast snooping, so nothing else crosses the uplinks: zero, kept as a name for the reader.
    static let stray: UInt64 = 0

    @Test func afterUpTrafficLeavesByUp1AndArrives() throws {
        let lab = try TeamLab()
        defer { lab.close() }
        let (run, change) = try Self.send(in: lab, to: "10.98.0.21")

        #expect(run.sent == Self.packets)
        #expect(run.received == Self.packets)
        #expect(try Self.counters(change, "vmk").txPackets >= UInt64(Self.packets))
        #expect(try Self.counters(change, "up1").txPackets >= UInt64(Self.packets))
        #expect(try Self.counters(change, "up2").txPackets <= Self.stray)
        // One way: nothing comes back on the uplinks.
        #expect(try Self.counters(change, "up1").rxPackets <= Self.stray)
    }

    @Test func aSteeredDestinationLeavesByItsUplinkWhileOthersKeepTheDefault() throws {
        let lab = try TeamLab()
        defer { lab.close() }
        try lab.steer(destination: "10.98.0.22", uplink: .up2)

        let (steered, steeredChange) = try Self.send(in: lab, to: "10.98.0.22")
        #expect(steered.received == Self.packets)
        #expect(try Self.counters(steeredChange, "up2").txPackets >= UInt64(Self.packets))
        #expect(try Self.counters(steeredChange, "up1").txPackets <= Self.stray)

        let (other, otherChange) = try Self.send(in: lab, to: "10.98.0.21")
        #expect(other.received == Self.packets)
        #expect(try Self.counters(otherChange, "up1").txPackets >= UInt64(Self.packets))
        #expect(try Self.counters(otherChange, "up2").txPackets <= Self.stray)

        // Steering again replaces the destination's filter; unsteering hands it back to the default.
        try lab.steer(destination: "10.98.0.22", uplink: .up1)
        let (_, againChange) = try Self.send(in: lab, to: "10.98.0.22")
        #expect(try Self.counters(againChange, "up1").txPackets >= UInt64(Self.packets))
        try lab.steer(destination: "10.98.0.22", uplink: .up2)
        try lab.unsteer(destination: "10.98.0.22")
        try lab.unsteer(destination: "10.98.0.22")
        let (back, backChange) = try Self.send(in: lab, to: "10.98.0.22")
        #expect(back.received == Self.packets)
        #expect(try Self.counters(backChange, "up1").txPackets >= UInt64(Self.packets))
        #expect(try Self.counters(backChange, "up2").txPackets <= Self.stray)
    }

    @Test func failoverToUp2KeepsTheTrafficArriving() throws {
        let lab = try TeamLab()
        defer { lab.close() }
        try lab.setLink(.up1, up: false)

        // Until the default moves, tc redirects into the down uplink, which drops everything.
        let (lost, lostChange) = try Self.send(in: lab, to: "10.98.0.21", count: 50)
        #expect(lost.sent == 50)
        #expect(lost.received == 0)
        #expect(try Self.counters(lostChange, "vmk").txPackets >= 50)
        #expect(try Self.counters(lostChange, "up1").txPackets == 0)
        #expect(try Self.counters(lostChange, "up2").txPackets <= Self.stray)

        try lab.steerDefault(uplink: .up2)
        let (run, change) = try Self.send(in: lab, to: "10.98.0.21")
        #expect(run.received == Self.packets)
        #expect(try Self.counters(change, "up2").txPackets >= UInt64(Self.packets))
        #expect(try Self.counters(change, "up1").txPackets == 0)
    }

    @Test func sendIsOneFlowFromTheGivenSourcePort() throws {
        let lab = try TeamLab()
        defer { lab.close() }
        // Immediate mode and a count: tcpdump ends by itself once it has seen the run. Stopped with a
        // signal instead, it could drop the frames libpcap had not yet handed over.
        let tcpdump = try lab.spawn(
            namespace: .h,
            ["tcpdump", "-i", "up1", "-Q", "out", "--immediate-mode", "-c", "20", "-nn", "-l", "-t", "udp"],
            timeLimit: .seconds(30))
        try #require(
            tcpdump.waitForOutput(containing: "listening on", timeout: .seconds(10)),
            "tcpdump did not start: \(tcpdump.standardError)")
        let run = try lab.send(to: "10.98.0.23", count: 20, sourcePort: 40023)
        let capture = tcpdump.wait(timeout: .seconds(10))
        #expect(capture.status == 0, "tcpdump: \(capture.standardError)")
        #expect(run.received == 20)
        // e.g. "IP 10.98.0.11.40023 > 10.98.0.23.9999: UDP, length 100": outgoing on the uplink.
        let lines = capture.standardOutput.split(separator: "\n")
        #expect(lines.count == 20, "tcpdump: \(capture.standardOutput)\(capture.standardError)")
        #expect(lines.allSatisfy { $0.contains("IP 10.98.0.11.40023 > 10.98.0.23.9999: UDP, length 100") })
    }

    @Test func downRemovesEveryNamespaceAndIsIdempotent() throws {
        let lab = try TeamLab()
        let names = TeamLab.Namespace.allCases.map(lab.namespace(of:))
        #expect(Set(try NamespaceLabTests.namespaces()).isSuperset(of: names))
        lab.close()
        lab.close()
        #expect(Set(try NamespaceLabTests.namespaces()).isDisjoint(with: names))
    }

    // MARK: Helpers

    /// Sends one flow to `destination` and returns what the sink saw with how the host's counters
    /// changed over the run.
    static func send(
        in lab: TeamLab, to destination: String, count: Int = packets
    ) throws -> (run: (sent: Int, received: Int), change: [String: Counters]) {
        let before = try lab.counters()
        let run = try lab.send(to: destination, count: count)
        let after = try lab.counters()
        let change = after.reduce(into: [String: Counters]()) { result, entry in
            result[entry.key] = entry.value - (before[entry.key] ?? Counters())
        }
        return (run, change)
    }

    static func counters(_ host: [String: Counters], _ name: String) throws -> Counters {
        try #require(host[name], "no interface \(name) among \(host.keys.sorted())")
    }
}
