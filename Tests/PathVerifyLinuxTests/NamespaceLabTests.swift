import Foundation
import PathVerifyTestSupport
import Testing

/// The namespace lab reproduces the fault, and the fixed profile removes it. Every expectation is read
/// from the kernel's own interface counters, neighbour table and ARP replies, never assumed.
@Suite(.serialized, .enabled(if: NamespaceLab.availability.isAvailable, "\(NamespaceLab.availability)"))
struct NamespaceLabTests {
    typealias Counters = NamespaceLab.Counters

    /// Packets per run: a second of traffic at the lab's 2000 packets/s.
    static let packets = 2000
    /// The share of the run an interface must carry to count as the one the traffic used: the rest
    /// allows for nothing but is there so a stray retransmission cannot fail a test.
    static let most = UInt64(packets) * 9 / 10
    /// What an interface that carries none of the traffic may still count: the run's ARP packets.
    static let stray: UInt64 = 10

    @Test(arguments: [NamespaceLab.TrafficProtocol.udp, .tcp])
    func misconfiguredTrafficPinnedToVmk2LeavesVmk1AndBothOfBAnswerARP(proto: NamespaceLab.TrafficProtocol) throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let (run, answering) = try Self.sendWatchingARP(in: lab, scenario: .pinnedToVmk2, proto: proto)

        #expect(run.sentPackets == Self.packets)
        #expect(run.receivedBytes == Self.packets * 100)
        // Weak host: the socket is bound to vmk2's address, but the first connected route (vmk1's) wins.
        #expect(try Self.counters(run.a, "vmk1").txPackets >= Self.most)
        #expect(try Self.counters(run.a, "vmk2").txPackets <= Self.stray)
        // ARP flux: both of B's interfaces answered A's request for 10.99.0.22.
        #expect(answering == ["vmk1", "vmk2"])
        // B takes the traffic in on the interface whose reply A kept, whichever that was.
        _ = try Self.ingressOfB(run, in: lab, target: "10.99.0.22")
        if proto == .tcp {
            // B's acknowledgements leave by B's first route too.
            #expect(try Self.counters(run.b, "vmk1").txPackets > Self.stray)
            #expect(try Self.counters(run.b, "vmk2").txPackets <= Self.stray)
        }
    }

    @Test(arguments: [NamespaceLab.TrafficProtocol.udp, .tcp])
    func fixedTrafficPinnedToVmk2StaysOnVmk2(proto: NamespaceLab.TrafficProtocol) throws {
        let lab = try NamespaceLab(profile: .fixed)
        defer { lab.close() }
        let (run, answering) = try Self.sendWatchingARP(in: lab, scenario: .pinnedToVmk2, proto: proto)

        #expect(run.receivedBytes == Self.packets * 100)
        #expect(try Self.counters(run.a, "vmk2").txPackets >= Self.most)
        #expect(try Self.counters(run.a, "vmk1").txPackets <= Self.stray)
        #expect(answering == ["vmk2"])
        #expect(try Self.ingressOfB(run, in: lab, target: "10.99.0.22") == "vmk2")
        if proto == .tcp {
            #expect(try Self.counters(run.b, "vmk2").txPackets > Self.stray)
            #expect(try Self.counters(run.b, "vmk1").txPackets <= Self.stray)
        }
    }

    @Test(arguments: [NamespaceLab.Profile.misconfigured, .fixed])
    func trafficPinnedToVmk1StaysOnVmk1(profile: NamespaceLab.Profile) throws {
        let lab = try NamespaceLab(profile: profile)
        defer { lab.close() }
        let run = try lab.send(scenario: .pinnedToVmk1, proto: .udp, count: Self.packets)

        #expect(run.receivedBytes == Self.packets * 100)
        #expect(try Self.counters(run.a, "vmk1").txPackets >= Self.most)
        #expect(try Self.counters(run.a, "vmk2").txPackets <= Self.stray)
        let ingress = try Self.ingressOfB(run, in: lab, target: "10.99.0.21")
        // Misconfigured, B's ingress is the ARP race's winner; fixed, only vmk1 may answer.
        if profile == .fixed { #expect(ingress == "vmk1") }
    }

    @Test(arguments: [NamespaceLab.Profile.misconfigured, .fixed])
    func arpAnswersComeFromTheOwnerOnlyWhenFixed(profile: NamespaceLab.Profile) throws {
        let lab = try NamespaceLab(profile: profile)
        defer { lab.close() }
        let b = try lab.interfaces(host: .b)
        for (target, owner) in [("10.99.0.21", "vmk1"), ("10.99.0.22", "vmk2")] {
            let replies = try lab.arpReplies(host: .a, interface: "vmk1", target: target)
            #expect(replies.allSatisfy { $0.address == target })
            let answering = Set(replies.compactMap { b[$0.mac] })
            #expect(answering == (profile == .fixed ? [owner] : ["vmk1", "vmk2"]), "ARP for \(target)")
        }
    }

    /// The lab is built so that B's vmk1 wins the ARP race (the bridge floods the port enslaved last
    /// first, and lab.sh enslaves B's vmk1 last): the misconfigured lab then shows the field symptom on
    /// both ends, traffic for vmk2 leaving A's vmk1 and arriving on B's vmk1. Captures can rely on it.
    @Test func misconfiguredLabShowsTheFieldSymptomOnBothEnds() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let run = try lab.send(scenario: .pinnedToVmk2, proto: .udp, count: 500)

        #expect(try Self.counters(run.a, "vmk1").txPackets >= 450)
        #expect(try Self.counters(run.b, "vmk1").rxPackets >= 450)
        #expect(try Self.counters(run.b, "vmk2").rxPackets <= Self.stray)
        // The sink's IP_PKTINFO agrees with the counters.
        #expect(run.arrivals == ["vmk1": 500])
    }

    @Test func downRemovesEveryNamespaceAndIsIdempotent() throws {
        let lab = try NamespaceLab(profile: .fixed)
        let names = [NamespaceLab.Host.a, .b, .sw].map(lab.namespace(of:))
        #expect(Set(try Self.namespaces()).isSuperset(of: names))
        lab.close()
        lab.close()
        #expect(Set(try Self.namespaces()).isDisjoint(with: names))
    }

    // MARK: Helpers

    /// Sends while tcpdump in B watches ARP; returns the run and B's interfaces that sent a reply
    /// for the target address.
    static func sendWatchingARP(
        in lab: NamespaceLab, scenario: NamespaceLab.Scenario, proto: NamespaceLab.TrafficProtocol
    ) throws -> (NamespaceLab.TrafficRun, Set<String>) {
        let tcpdump = try lab.spawn(
            host: .b, ["tcpdump", "-i", "any", "-nn", "-l", "-t", "arp"], timeLimit: .seconds(30))
        try #require(
            tcpdump.waitForOutput(containing: "listening on", timeout: .seconds(10)),
            "tcpdump did not start: \(tcpdump.standardError)")
        let run = try lab.send(scenario: scenario, proto: proto, count: packets)
        tcpdump.signal(SIGINT)
        let capture = tcpdump.wait(timeout: .seconds(10))
        #expect(capture.status == 0, "tcpdump: \(capture.standardError)")
        let target = scenario == .pinnedToVmk2 ? "10.99.0.22" : "10.99.0.21"
        // e.g. "vmk1  Out ARP, Reply 10.99.0.22 is-at 02:00:00:00:0b:01, length 28"
        let answering = capture.standardOutput.split(separator: "\n")
            .filter { $0.contains(" Out ") && $0.contains("Reply \(target) is-at") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        return (run, Set(answering))
    }

    /// B's interface that took the run in, from its counters; checks it is the one whose MAC A
    /// resolved `target` to, and that B's other interface took nothing in.
    static func ingressOfB(_ run: NamespaceLab.TrafficRun, in lab: NamespaceLab, target: String) throws -> String {
        let carrying = run.b.filter { $0.value.rxPackets >= most }.map(\.key)
        try #require(carrying.count == 1, "B's counters over the run: \(run.b)")
        let ingress = carrying[0]
        for (name, counters) in run.b where name != ingress {
            #expect(counters.rxPackets <= stray, "B's \(name) took traffic in besides \(ingress)")
        }
        // e.g. "10.99.0.22 dev vmk1 lladdr 02:00:00:00:0b:01 REACHABLE"
        let neighbour = try lab.run(host: .a, ["ip", "neigh", "show", target]).standardOutput
        let words = neighbour.split(whereSeparator: \.isWhitespace).map(String.init)
        let mac = try #require(zip(words, words.dropFirst()).first { $0.0 == "lladdr" }?.1, "A: \(neighbour)")
        #expect(try lab.interfaces(host: .b)[mac] == ingress, "A resolved \(target) to \(mac)")
        return ingress
    }

    static func counters(_ host: [String: Counters], _ name: String) throws -> Counters {
        try #require(host[name], "no interface \(name) among \(host.keys.sorted())")
    }

    static func namespaces() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ip netns list"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            $0.split(separator: " ").first.map(String.init)
        }
    }
}
