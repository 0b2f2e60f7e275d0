import Testing

@testable import PathVerifyCore

/// The pure parts of a live capture: counter totals, the kernel's facts merged into the config,
/// the report's live rows and `capture-loss`, and the evidence selection.
@Suite struct LiveReportTests {
    static func sample(_ tx: UInt64, at seconds: UInt64, ifindex: Int = 2) -> CounterSample {
        CounterSample(
            ifindex: ifindex, operationalState: .up,
            counters: InterfaceCounters(rxPackets: tx / 2, txPackets: tx, rxBytes: tx * 50, txBytes: tx * 100),
            monotonicNanoseconds: seconds * 1_000_000_000)
    }

    @Test func totalsSkipTheIntervalOfAResetAndKeepTheRest() {
        var tracker = CounterRateTracker()
        var totals = CounterTotals()
        for sample in [Self.sample(1000, at: 0), Self.sample(3000, at: 1), Self.sample(10, at: 2), Self.sample(1010, at: 3)] {
            totals.add(tracker.observe("eth1", sample))
        }
        // 2000 before the reset, 1000 after; the reset's interval is lost and counted.
        #expect(totals.growth.txPackets == 3000)
        #expect(totals.resets == 1)
        #expect(totals.nanoseconds == 2_000_000_000)
        #expect(totals.rates?.txPacketsPerSecond == 1500)
        #expect(CounterTotals().rates == nil, "no rates before two samples")
    }

    @Test func kernelFactsGiveOwnershipAndTheConfigGivesNames() {
        let config = Config(
            interfaces: [
                InterfaceConfig(name: "eth1", alias: "vmk1", role: "vMotion-1", addresses: [IPPrefix("192.0.2.9/24")!]),
                InterfaceConfig(name: "eth9", alias: "gone"),
            ])
        let host = [
            HostInterface(name: "lo", ifindex: 1, addresses: [IPPrefix("127.0.0.1/8")!], isLoopback: true),
            HostInterface(
                name: "eth1", ifindex: 2, mac: MACAddress("02:00:00:00:00:01"), addresses: [IPPrefix("10.0.0.1/24")!]),
            HostInterface(name: "eth2", ifindex: 3, addresses: [IPPrefix("10.0.0.2/24")!]),
        ]
        let merged = config.merged(withHost: host)
        #expect(merged.interfaces.map(\.name) == ["eth1", "eth2", "eth9"])
        #expect(merged.interfaces[0].alias == "vmk1" && merged.interfaces[0].role == "vMotion-1")
        #expect(merged.interfaces[0].addresses == [IPPrefix("10.0.0.1/24")!], "the kernel's addresses win")
        #expect(merged.interfaces[0].ifindex == 2)
        #expect(AddressOwnership(interfaces: merged.interfaces).multihomed.count == 2)
    }

    static func result(findings: [Finding] = []) -> AnalysisResult {
        var analysis = TrafficAnalysis(config: Config(), maxFlows: 10)
        _ = analysis.interface(named: "eth1")
        var result = analysis.result()
        result.findings = findings
        return result
    }

    @Test func liveRowsSitBesideTheCaptureAndDropsRaiseCaptureLoss() throws {
        var tracker = CounterRateTracker()
        var totals = CounterTotals()
        totals.add(tracker.observe("eth1", Self.sample(0, at: 0)))
        totals.add(tracker.observe("eth1", Self.sample(4000, at: 2)))
        let live = [
            LiveInterfaceStats(
                name: "eth1", state: .up, speedMegabitsPerSecond: 10_000, kernel: totals, captureReceived: 4000,
                captureDropped: 100)
        ]
        let report = Report(command: "capture", inputs: [], result: Self.result(), live: live)
        let row = try #require(report.interfaces.first)
        #expect(row.kernel?.txPacketsPerSecond == 2000)
        #expect(row.kernel?.state == "up" && row.kernel?.speedMegabitsPerSecond == 10_000)
        #expect(row.capture?.dropped == 100)
        let loss = try #require(report.findings.first)
        #expect(loss.kind == .captureLoss && loss.actual?.name == "eth1" && loss.packets == 100)
        #expect(loss.detail.contains("dropped 100 of 4000 packets (2.50%)"))
        #expect(report.verdict == .mismatch, "a blind verdict is not an ok")
        let text = TextReport.render(report)
        #expect(text.contains("PCAP DROP") && text.contains("capture-loss"))

        let clean = Report(
            command: "capture", inputs: [], result: Self.result(),
            live: [LiveInterfaceStats(name: "eth1", kernel: totals, captureReceived: 4000)])
        #expect(clean.findings.isEmpty)
    }

    @Test func evidenceIsThePacketsOfMismatchingFlowsAndFluxAnswers() {
        let run = LabTraffic.run(misrouted: true)
        var analysis = TrafficAnalysis(config: LabTraffic.config(LabTraffic.hostA, intent: false), maxFlows: 1000)
        func each(_ body: (CaptureRecord, UInt16, LabTraffic.Packet) -> Void) {
            for packet in run.a {
                let slot = analysis.interface(named: packet.interface)
                packet.frame.withUnsafeBytes { bytes in
                    body(
                        CaptureRecord(
                            timestamp: packet.timestamp, linkType: .ethernet, interfaceID: 0,
                            originalLength: packet.wireLength, direction: packet.direction, data: bytes), slot, packet)
                }
            }
        }
        each { record, slot, _ in analysis.ingest(record, interface: slot) }
        let selector = EvidenceSelector(analysis.result())
        var selected = 0
        var service = 0
        each { record, slot, packet in
            let decoded = PacketDecoder.decode(record.data, linkType: .ethernet)
            let isService = decoded.destinationPort == 9999 && packet.direction == .outbound
            if isService { service += 1 }
            if selector.selects(record, interface: slot) {
                selected += 1
                #expect(isService || decoded.resolution?.isAnswer == true, "selected a packet that proves nothing")
            }
        }
        #expect(service == LabTraffic.servicePackets)
        #expect(selected >= service)
    }
}
