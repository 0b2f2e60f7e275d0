import Foundation
import PathVerifyCore
import PathVerifyTestSupport
import Testing

/// `pathverify capture` inside the namespace lab's hosts, while the lab reproduces the fault (or
/// not). Each run captures on A and on B twice at once, with the intent config and with none, and
/// the ground truth of where the traffic went is read from the kernel's interface counters.
@Suite(.serialized, .enabled(if: NamespaceLab.availability.isAvailable, "\(NamespaceLab.availability)"))
struct CaptureLabTests {
    static let packets = 2000
    static let most = UInt64(packets) * 9 / 10
    static let stray: UInt64 = 10

    /// The intents of both scenarios, with the same aliases and roles on both hosts.
    static let config = """
        [[interface]]
        name = "vmk1"
        alias = "mgmt"
        role = "service-1"
        [[interface]]
        name = "vmk2"
        alias = "repl"
        role = "replication"
        [[intent]]
        name = "service"
        source = ["10.99.0.11/32", "10.99.0.21/32"]
        destination = ["10.99.0.11/32", "10.99.0.21/32"]
        ports = [9999]
        egress = "vmk1"
        ingress = "vmk1"
        [[intent]]
        name = "replication"
        source = ["10.99.0.12/32", "10.99.0.22/32"]
        destination = ["10.99.0.12/32", "10.99.0.22/32"]
        ports = [9999]
        egress = "vmk2"
        ingress = "vmk2"
        """

    /// One capture's outcome: its exit status and the JSON report.
    struct Capture {
        var status: Int32
        var report: [String: Any]
        var standardError: String

        var findings: [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }

        func findings(_ kind: String) -> [[String: Any]] { findings.filter { $0["kind"] as? String == kind } }

        /// Packets of `kind` findings with this expected and actual interface.
        func packets(_ kind: String, expected: String, actual: String) -> UInt64 {
            findings(kind).filter {
                ($0["expected"] as? [String: Any])?["name"] as? String == expected
                    && ($0["actual"] as? [String: Any])?["name"] as? String == actual
            }.reduce(0) { $0 + (($1["packets"] as? NSNumber)?.uint64Value ?? 0) }
        }

        var kinds: [String] { findings.compactMap { $0["kind"] as? String } }

        /// Per interface: what the capture attributed in each direction, beside the kernel's
        /// counters and libpcap's counts over the same capture, none of them lost or counted twice.
        func expectEveryPacketAccounted(_ label: String) {
            let rows = report["interfaces"] as? [[String: Any]] ?? []
            #expect(rows.count == 2, "\(label): \(rows)")
            for row in rows {
                func number(_ object: Any?, _ key: String) -> UInt64 {
                    ((object as? [String: Any])?[key] as? NSNumber)?.uint64Value ?? .max
                }
                let name = row["name"] as? String ?? "?"
                let (tx, rx) = (number(row, "tx_packets"), number(row, "rx_packets"))
                let kernel = row["kernel"]
                let capture = row["capture"]
                // Stray packets (IPv6 neighbour discovery) may fall between a counter sample and the capture.
                #expect(tx.distance(to: number(kernel, "tx_packets")).magnitude <= stray, "\(label): \(name) sent: \(row)")
                #expect(rx.distance(to: number(kernel, "rx_packets")).magnitude <= stray, "\(label): \(name) received: \(row)")
                #expect(
                    (tx &+ rx).distance(to: number(capture, "received")).magnitude <= stray,
                    "\(label): libpcap's count for \(name) is the packets of both directions, once: \(row)")
                #expect(number(capture, "dropped") == 0, "\(label): \(row)")
            }
        }
    }

    struct Run {
        var traffic: NamespaceLab.TrafficRun
        /// Per host: without config, with config.
        var a: (plain: Capture, intents: Capture)
        var b: (plain: Capture, intents: Capture)
        /// The evidence file A's capture without config wrote (`-w`).
        var evidence: [UInt8]
    }

    /// Starts four captures (A and B, without and with the config), waits until all listen, sends
    /// the traffic, stops them with SIGINT (as Ctrl-C would) and collects their reports.
    static func capture(
        in lab: NamespaceLab, scenario: NamespaceLab.Scenario, proto: NamespaceLab.TrafficProtocol
    ) throws -> Run {
        let directory = try TemporaryDirectory()
        let configPath = try directory.write(config, to: "lab.toml")
        let binary = CommandRunner.binary
        let evidencePath = directory.path + "/evidence.pcapng"
        var commands: [NamespaceLab.BackgroundCommand] = []
        for host in [NamespaceLab.Host.a, .b] {
            for withConfig in [false, true] {
                let arguments =
                    [binary, "capture", "-i", "vmk1,vmk2", "-d", "60", "--json"]
                    + (withConfig ? ["--config", configPath] : [])
                    + (host == .a && !withConfig ? ["-w", evidencePath] : [])
                commands.append(try lab.spawn(host: host, arguments, timeLimit: .seconds(90)))
            }
        }
        defer { for command in commands { command.signal(SIGKILL) } }
        for command in commands {
            guard command.waitForOutput(containing: "capturing on", timeout: .seconds(20)) else {
                throw Failure("capture did not start: \(command.standardError)")
            }
        }
        let traffic = try lab.send(scenario: scenario, proto: proto, count: packets)
        var captures: [Capture] = []
        for command in commands {
            command.signal(SIGINT)
            let outcome = command.wait(timeout: .seconds(20))
            guard let object = try? JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)),
                let report = object as? [String: Any]
            else {
                throw Failure("no JSON report (status \(outcome.status)): \(outcome.standardError)")
            }
            captures.append(Capture(status: outcome.status, report: report, standardError: outcome.standardError))
        }
        let evidence = (try? Data(contentsOf: URL(fileURLWithPath: evidencePath))).map { [UInt8]($0) } ?? []
        return Run(
            traffic: traffic, a: (captures[0], captures[1]), b: (captures[2], captures[3]), evidence: evidence)
    }

    /// The evidence file's interface names and packets, decoded.
    static func evidence(_ bytes: [UInt8]) -> (interfaces: [String], packets: [(CaptureRecord, DecodedPacket)]) {
        var parser = CaptureStreamParser()
        var interfaces: [String] = []
        var packets: [(CaptureRecord, DecodedPacket)] = []
        bytes.withUnsafeBytes { buffer in
            _ = parser.parse(
                buffer, isFinal: true, onInterface: { interfaces.append($0.name ?? "?") },
                { record in packets.append((record, PacketDecoder.decode(record.data, linkType: record.linkType))) })
        }
        return (interfaces, packets)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func counters(_ table: [String: NamespaceLab.Counters], _ name: String) -> NamespaceLab.Counters {
        table[name] ?? NamespaceLab.Counters()
    }

    @Test(arguments: [NamespaceLab.TrafficProtocol.udp, .tcp])
    func misconfiguredPinnedToVmk2IsReportedOnBothHosts(proto: NamespaceLab.TrafficProtocol) throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let run = try Self.capture(in: lab, scenario: .pinnedToVmk2, proto: proto)
        #expect(run.traffic.sentPackets == Self.packets)
        // Ground truth: A's kernel sent the traffic out of vmk1.
        #expect(Self.counters(run.traffic.a, "vmk1").txPackets >= Self.most)
        let arrivedOnVmk1 = Self.counters(run.traffic.b, "vmk1").rxPackets >= Self.most
        let arrivedOnVmk2 = Self.counters(run.traffic.b, "vmk2").rxPackets >= Self.most
        #expect(arrivedOnVmk1 != arrivedOnVmk2, "the traffic should have arrived on one of B's interfaces")
        for (label, a, b) in [("no config", run.a.plain, run.b.plain), ("intents", run.a.intents, run.b.intents)] {
            a.expectEveryPacketAccounted("\(label), A")
            b.expectEveryPacketAccounted("\(label), B")
            #expect(a.status == 1, "\(label): A exits 1 on a mismatch")
            #expect(
                a.packets("egress-mismatch", expected: "vmk2", actual: "vmk1") >= Self.most,
                "\(label): A's egress-mismatch should hold at least 90% of the \(Self.packets) packets: \(a.findings)")
            let ingress = b.packets("ingress-mismatch", expected: "vmk2", actual: "vmk1")
            if arrivedOnVmk1 {
                #expect(ingress >= Self.most, "\(label): B took the traffic in on vmk1: \(b.findings)")
                #expect(b.status == 1)
            } else {
                #expect(ingress == 0, "\(label): B took the traffic in on vmk2, as expected: \(b.findings)")
            }
        }
        // -w: A's evidence holds the mismatching flow's packets, on vmk1, going out, and nothing else
        // of port 9999 (TCP's returning acknowledgements arrive on A's vmk1, also a mismatch).
        let evidence = Self.evidence(run.evidence)
        #expect(evidence.interfaces.contains("vmk1"))
        let leaving = evidence.packets.filter {
            $0.0.direction == .outbound && $0.1.source == IPAddress("10.99.0.12") && $0.1.destinationPort == 9999
        }
        #expect(UInt64(leaving.count) >= Self.most, "evidence holds \(leaving.count) packets of the flow")
        #expect(
            evidence.packets.allSatisfy { $0.1.source == IPAddress("10.99.0.12") || $0.1.destination == IPAddress("10.99.0.12") || $0.1.network == .arp },
            "only the mismatching flows' packets (and ARP answers for flux) are evidence")
    }

    @Test(arguments: [NamespaceLab.TrafficProtocol.udp, .tcp])
    func fixedPinnedToVmk2HasNoFindings(proto: NamespaceLab.TrafficProtocol) throws {
        let lab = try NamespaceLab(profile: .fixed)
        defer { lab.close() }
        let run = try Self.capture(in: lab, scenario: .pinnedToVmk2, proto: proto)
        #expect(Self.counters(run.traffic.a, "vmk2").txPackets >= Self.most)
        for capture in [run.a.plain, run.a.intents, run.b.plain, run.b.intents] {
            #expect(capture.status == 0, "\(capture.standardError)")
            #expect(capture.findings.isEmpty, "\(capture.findings)")
        }
        // The captures saw the traffic: the verdict is not an empty one.
        #expect(run.a.plain.report["verdict"] as? String == "ok")
        // Nothing mismatched, so the evidence file holds no packet.
        #expect(!run.evidence.isEmpty, "the evidence file was written")
        #expect(Self.evidence(run.evidence).packets.isEmpty)
    }

    @Test(arguments: [NamespaceLab.Profile.misconfigured, .fixed])
    func serviceOnVmk1HasNoPathMismatch(profile: NamespaceLab.Profile) throws {
        let lab = try NamespaceLab(profile: profile)
        defer { lab.close() }
        let run = try Self.capture(in: lab, scenario: .pinnedToVmk1, proto: .udp)
        #expect(Self.counters(run.traffic.a, "vmk1").txPackets >= Self.most)
        for capture in [run.a.plain, run.a.intents, run.b.plain, run.b.intents] {
            #expect(!capture.kinds.contains("egress-mismatch"), "\(capture.findings)")
            #expect(!capture.kinds.contains("ingress-mismatch"), "\(capture.findings)")
        }
        switch profile {
        case .misconfigured:
            // B's vmk2 answers ARP for vmk1's address: real ARP flux, which B's capture sees leave vmk2.
            for capture in [run.b.plain, run.b.intents] {
                let flux = capture.findings("arp-flux").filter { $0["address"] as? String == "10.99.0.21" }
                #expect(!flux.isEmpty, "B should report ARP flux for 10.99.0.21: \(capture.findings)")
                #expect(capture.status == 1)
            }
        case .fixed:
            for capture in [run.a.plain, run.a.intents, run.b.plain, run.b.intents] {
                #expect(capture.status == 0)
                #expect(capture.findings.isEmpty, "\(capture.findings)")
            }
        }
    }

    /// `--count` stops the capture by itself after exactly that many packets, across both
    /// interfaces' handles, and reports them.
    @Test func countStopsAfterExactlyThatManyPackets() throws {
        let lab = try NamespaceLab(profile: .fixed)
        defer { lab.close() }
        let command = try lab.spawn(
            host: .b, [CommandRunner.binary, "capture", "-i", "vmk1,vmk2", "-c", "500", "-d", "60", "--json"],
            timeLimit: .seconds(90))
        defer { command.signal(SIGKILL) }
        guard command.waitForOutput(containing: "capturing on", timeout: .seconds(20)) else {
            throw Failure("capture did not start: \(command.standardError)")
        }
        _ = try lab.send(scenario: .pinnedToVmk2, proto: .udp, count: Self.packets)
        let outcome = command.wait(timeout: .seconds(20))  // no signal: the count ends it
        let object = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8))
        let capture = (object as? [String: Any])?["capture"] as? [String: Any]
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect((capture?["packets"] as? NSNumber)?.intValue == 500, "\(capture ?? [:])")
    }

    /// `top`'s VERDICT column: the interface that carried the misrouted traffic shows its finding.
    @Test func topShowsTheMismatchOnTheInterfaceThatCarriedIt() throws {
        let lab = try NamespaceLab(profile: .misconfigured)
        defer { lab.close() }
        let top = try lab.spawn(
            host: .a, [CommandRunner.binary, "top", "-b", "-d", "1", "-n", "5", "-i", "vmk1,vmk2"],
            timeLimit: .seconds(30))
        guard top.waitForOutput(containing: "vmk2:VERDICT", timeout: .seconds(10)) else {
            throw Failure("top did not start: \(top.standardError)")
        }
        _ = try lab.send(scenario: .pinnedToVmk2, proto: .udp, count: Self.packets)
        let outcome = top.wait(timeout: .seconds(20))
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = try #require(lines.first)
        let vmk1 = try #require(header.firstIndex(of: "vmk1:VERDICT"))
        let vmk2 = try #require(header.firstIndex(of: "vmk2:VERDICT"))
        let rows = lines.dropFirst().filter { $0.count == header.count }
        #expect(rows.count == 5)
        #expect(rows.first?[vmk1] == "", "no verdict before two samples")
        #expect(rows.contains { $0[vmk1].contains("egress-mismatch") }, "\(outcome.standardOutput)")
        #expect(!rows.contains { $0[vmk2].contains("mismatch") }, "\(outcome.standardOutput)")
    }
}
