import Testing

@testable import PathVerifyCore

/// The fault itself, fed to the analysis as the packets each host's capture saw.
@Suite struct TrafficAnalysisTests {
    static func analyse(
        _ packets: [LabTraffic.Packet], config: Config, fileDirection: Bool = true, maxFlows: Int = 1000,
        unnamed: Bool = false
    ) -> AnalysisResult {
        var analysis = TrafficAnalysis(config: config, maxFlows: maxFlows)
        for packet in packets {
            let slot = unnamed ? analysis.unnamedInterface(label: "(a.pcap)") : analysis.interface(named: packet.interface)
            packet.frame.withUnsafeBytes { bytes in
                let record = CaptureRecord(
                    timestamp: packet.timestamp, linkType: .ethernet, interfaceID: 0,
                    originalLength: packet.wireLength, direction: fileDirection ? packet.direction : .unknown, data: bytes)
                analysis.ingest(record, interface: slot)
            }
        }
        return analysis.result()
    }

    @Test(arguments: [false, true])
    func misroutedServiceIsReportedOnBothHosts(intent: Bool) throws {
        let run = LabTraffic.run(misrouted: true)
        let a = Self.analyse(run.a, config: LabTraffic.config(LabTraffic.hostA, intent: intent))
        let egress = try #require(a.findings.first { $0.kind == .egressMismatch })
        #expect(egress.expected == InterfaceRef(name: "vmk2", alias: "a-vmk2"))
        #expect(egress.actual == InterfaceRef(name: "vmk1", alias: "a-vmk1"))
        #expect(egress.packets == UInt64(LabTraffic.servicePackets))
        #expect(egress.flows == 3)
        #expect(egress.bytes == UInt64(LabTraffic.servicePackets * (42 + LabTraffic.servicePayload)))
        #expect(egress.intent == (intent ? "replication" : nil))
        #expect(egress.sampleFlows.first?.hasPrefix("udp 10.99.0.12:400") == true)
        #expect(a.findings.contains { $0.kind == .ingressMismatch } == false)
        // A saw .22 answered by two MACs.
        let fluxA = try #require(a.findings.first { $0.kind == .arpFlux })
        #expect(fluxA.address == "10.99.0.22" && fluxA.macs?.count == 2)
        #expect(a.verdict == .mismatch)

        let b = Self.analyse(run.b, config: LabTraffic.config(LabTraffic.hostB, intent: intent))
        let ingress = try #require(b.findings.first { $0.kind == .ingressMismatch })
        #expect(ingress.expected?.name == "vmk2" && ingress.actual?.name == "vmk1")
        #expect(ingress.packets == UInt64(LabTraffic.servicePackets))
        #expect(b.findings.contains { $0.kind == .egressMismatch } == false)
        // B's vmk1 answered ARP for vmk2's address.
        let fluxB = try #require(b.findings.first { $0.kind == .arpFlux })
        #expect(fluxB.expected?.name == "vmk2" && fluxB.actual?.name == "vmk1")

        let idle = b.findings.filter { $0.kind == .idleExpectedInterface }
        #expect(idle.count == (intent ? 1 : 0))
        if intent {
            #expect(b.intents.first?.verdict == .mismatch)
            #expect(b.intents.first?.ingress.first?.interface.name == "vmk1")
            #expect(b.intents.first?.ingress.first?.packets == UInt64(LabTraffic.servicePackets))
        }
    }

    @Test(arguments: [false, true])
    func fixedLabHasNoFindings(intent: Bool) {
        let run = LabTraffic.run(misrouted: false)
        for (packets, host) in [(run.a, LabTraffic.hostA), (run.b, LabTraffic.hostB)] {
            let result = Self.analyse(packets, config: LabTraffic.config(host, intent: intent))
            #expect(result.findings.isEmpty, "\(result.findings.map { AlertLine.finding($0).description })")
            #expect(result.verdict == .ok)
            if intent { #expect(result.intents.first?.verdict == .ok) }
        }
    }

    /// Without direction flags, the interface MACs from the config tell the direction.
    @Test func directionFromInterfaceMACs() throws {
        let run = LabTraffic.run(misrouted: true)
        let a = Self.analyse(run.a, config: LabTraffic.config(LabTraffic.hostA, intent: false), fileDirection: false)
        #expect(a.stats.directionSourceCounts.contains { $0.source == .interfaceMAC })
        #expect(a.findings.first { $0.kind == .egressMismatch }?.packets == UInt64(LabTraffic.servicePackets))
    }

    /// A single-homed host gets no findings from the ownership rule.
    @Test func singleHomedHostHasNoFindings() {
        let run = LabTraffic.run(misrouted: true)
        let onlyOne = Config(interfaces: [
            InterfaceConfig(name: "vmk1", addresses: [IPPrefix("10.99.0.12/24")!], mac: MACAddress("02:00:00:00:0a:01"))
        ])
        let result = Self.analyse(run.a.filter { $0.interface == "vmk1" }, config: onlyOne)
        #expect(result.findings.filter { $0.kind != .arpFlux }.isEmpty)
    }

    /// Packets on an input that does not name its interface are counted, not verified.
    @Test func unnamedInputIsCountedNotVerified() {
        let run = LabTraffic.run(misrouted: true)
        let result = Self.analyse(run.a, config: LabTraffic.config(LabTraffic.hostA, intent: false), unnamed: true)
        #expect(result.findings.filter { $0.kind != .arpFlux }.isEmpty)
        #expect(result.unattributedPackets == UInt64(LabTraffic.servicePackets))
        #expect(result.stats.packets == UInt64(run.a.count))
    }

    /// A tiny flow table still verifies every packet: evicted flows are verified first.
    @Test func evictedFlowsAreStillVerified() throws {
        let run = LabTraffic.run(misrouted: true)
        let result = Self.analyse(run.a, config: LabTraffic.config(LabTraffic.hostA, intent: false), maxFlows: 1)
        #expect(result.evictedFlows > 0)
        #expect(result.findings.first { $0.kind == .egressMismatch }?.packets == UInt64(LabTraffic.servicePackets))
    }
}
