import PathVerifyCore
import PathVerifyLinux
import PathVerifyTestSupport
import Testing

/// The fault's two-host lab written as real capture files of each kind and analysed end to end.
@Suite struct OfflineAnalyzerTests {
    enum InputKind: String, CaseIterable {
        /// pcapng with interface blocks and epb_flags.
        case pcapng
        /// tcpdump -i any: SLL2 with ifindexes named by the config.
        case sll2
        /// One pcap per interface as IFACE=FILE, with no direction in the file.
        case perInterface
    }

    static func analyse(
        _ packets: [LabTraffic.Packet], host: [LabTraffic.Interface], kind: InputKind, intent: Bool,
        in directory: TemporaryDirectory
    ) throws -> OfflineAnalyzer.Outcome {
        let inputs: [OfflineInput]
        switch kind {
        case .pcapng:
            inputs = [OfflineInput(path: try directory.write(LabCaptures.pcapng(packets, host: host), to: "lab.pcapng"))]
        case .sll2:
            inputs = [OfflineInput(path: try directory.write(LabCaptures.sll2(packets, host: host), to: "any.pcap"))]
        case .perInterface:
            inputs = try LabCaptures.perInterface(packets, host: host).sorted { $0.key < $1.key }.map { name, bytes in
                OfflineInput(path: try directory.write(bytes, to: "\(name).pcap"), interface: name)
            }
        }
        let analyzer = try OfflineAnalyzer(config: LabTraffic.config(host, intent: intent), maxFlows: 10_000)
        return try analyzer.run(inputs)
    }

    @Test(arguments: InputKind.allCases, [false, true])
    func misroutedServiceIsFoundOnBothHosts(kind: InputKind, intent: Bool) throws {
        let directory = try TemporaryDirectory()
        let run = LabTraffic.run(misrouted: true)
        let service = UInt64(LabTraffic.servicePackets)

        let a = try Self.analyse(run.a, host: LabTraffic.hostA, kind: kind, intent: intent, in: directory)
        #expect(a.damage.isEmpty)
        #expect(a.result.stats.packets == UInt64(run.a.count))
        let egress = try #require(a.result.findings.first { $0.kind == .egressMismatch })
        #expect(egress.expected?.name == "vmk2" && egress.actual?.name == "vmk1")
        #expect(egress.packets == service)
        #expect(egress.bytes == service * UInt64(42 + LabTraffic.servicePayload + (kind == .sll2 ? 6 : 0)))
        #expect(egress.intent == (intent ? "replication" : nil))
        #expect(!a.result.findings.contains { $0.kind == .ingressMismatch })

        let b = try Self.analyse(run.b, host: LabTraffic.hostB, kind: kind, intent: intent, in: directory)
        let ingress = try #require(b.result.findings.first { $0.kind == .ingressMismatch })
        #expect(ingress.expected?.name == "vmk2" && ingress.actual?.name == "vmk1")
        #expect(ingress.packets == service)
        #expect(!b.result.findings.contains { $0.kind == .egressMismatch })
        #expect(b.result.findings.contains { $0.kind == .arpFlux && $0.actual?.name == "vmk1" })
        #expect(b.result.verdict == .mismatch)
    }

    @Test(arguments: InputKind.allCases, [false, true])
    func fixedLabVerifies(kind: InputKind, intent: Bool) throws {
        let directory = try TemporaryDirectory()
        let run = LabTraffic.run(misrouted: false)
        for (packets, host) in [(run.a, LabTraffic.hostA), (run.b, LabTraffic.hostB)] {
            let outcome = try Self.analyse(packets, host: host, kind: kind, intent: intent, in: directory)
            #expect(outcome.result.findings.isEmpty, "\(outcome.result.findings.map { AlertLine.finding($0).description })")
            #expect(outcome.result.verdict == .ok)
            #expect(outcome.result.unknownDirectionPackets == 0)
        }
    }

    /// Without the config's MACs, per-interface files still get their direction from addresses.
    @Test func perInterfaceDirectionFromAddresses() throws {
        let directory = try TemporaryDirectory()
        let run = LabTraffic.run(misrouted: true)
        var config = LabTraffic.config(LabTraffic.hostA, intent: false)
        for index in config.interfaces.indices { config.interfaces[index].mac = nil }
        let inputs = try LabCaptures.perInterface(run.a, host: LabTraffic.hostA).map { name, bytes in
            OfflineInput(path: try directory.write(bytes, to: "\(name).pcap"), interface: name)
        }
        let outcome = try OfflineAnalyzer(config: config, maxFlows: 100).run(inputs)
        #expect(outcome.result.stats.directionSourceCounts.contains { $0.source == .addressOwnership })
        #expect(outcome.result.findings.first { $0.kind == .egressMismatch }?.packets == UInt64(LabTraffic.servicePackets))
    }

    @Test func filterSelectsPackets() throws {
        let directory = try TemporaryDirectory()
        let run = LabTraffic.run(misrouted: true)
        let file = try directory.write(LabCaptures.pcapng(run.a, host: LabTraffic.hostA), to: "lab.pcapng")
        let filter = BPFFilter(expression: "udp src port 40000")
        try filter.validate()
        let outcome = try OfflineAnalyzer(
            config: LabTraffic.config(LabTraffic.hostA, intent: false), maxFlows: 100, filter: filter
        ).run([OfflineInput(path: file)])
        #expect(outcome.result.stats.packets == UInt64(LabTraffic.servicePackets / 3))
        #expect(outcome.result.stats.filteredOut == UInt64(run.a.count - LabTraffic.servicePackets / 3))
    }

    @Test func intentBPFSelectorIsApplied() throws {
        let directory = try TemporaryDirectory()
        let run = LabTraffic.run(misrouted: true)
        let file = try directory.write(LabCaptures.pcapng(run.a, host: LabTraffic.hostA), to: "lab.pcapng")
        var config = LabTraffic.config(LabTraffic.hostA, intent: true)
        config.intents[0].selector = IntentSelector(bpf: "udp src port 40001")
        let outcome = try OfflineAnalyzer(config: config, maxFlows: 100).run([OfflineInput(path: file)])
        let egress = try #require(outcome.result.findings.first { $0.kind == .egressMismatch && $0.intent != nil })
        #expect(egress.packets == UInt64(LabTraffic.servicePackets / 3))
        #expect(throws: IntentFilterError.self) {
            var broken = config
            broken.intents[0].selector = IntentSelector(bpf: "udp port")
            _ = try OfflineAnalyzer(config: broken, maxFlows: 100)
        }
    }

    @Test func truncatedFileKeepsThePacketsBeforeTheCut() throws {
        let directory = try TemporaryDirectory()
        let bytes = LabCaptures.pcapng(LabTraffic.run(misrouted: true).a, host: LabTraffic.hostA)
        let file = try directory.write(Array(bytes[..<(bytes.count - 10)]), to: "cut.pcapng")
        let outcome = try OfflineAnalyzer(config: LabTraffic.config(LabTraffic.hostA, intent: false), maxFlows: 100)
            .run([OfflineInput(path: file)])
        #expect(outcome.damage.count == 1)
        #expect(outcome.damage.first?.contains("truncated") == true)
        #expect(outcome.result.stats.packets == UInt64(LabTraffic.run(misrouted: true).a.count - 1))
    }
}
