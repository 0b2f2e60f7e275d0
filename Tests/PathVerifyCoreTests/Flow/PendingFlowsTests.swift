import PathVerifyTestSupport
import Testing

@testable import PathVerifyCore

/// Flows are counted a batch late (`PendingFlows`); no packet may be lost or counted twice,
/// wherever in a batch the input stops.
@Suite struct PendingFlowsTests {
    /// 16 flows, packet `i` in flow `i % 16`, ingested then flushed: every count in, once.
    @Test(arguments: [0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 100])
    func everyPacketIsCountedOnce(packets: Int) {
        var analysis = TrafficAnalysis(config: Config(), maxFlows: 1000)
        let slot = analysis.interface(named: "eth0")
        let frames = (0..<16).map { flow in
            Frame.udpFrame(
                sourceMAC: "02:00:00:00:00:01", destinationMAC: "02:00:00:00:00:02", source: "10.0.0.1",
                destination: "10.0.0.2", sourcePort: UInt16(1000 + flow), destinationPort: 53)
        }
        for index in 0..<packets {
            frames[index % 16].withUnsafeBytes { bytes in
                analysis.ingest(
                    CaptureRecord(
                        timestamp: Timestamp(nanoseconds: Int64(index)), linkType: .ethernet, interfaceID: 0,
                        originalLength: 100, direction: .outbound, data: bytes),
                    interface: slot)
            }
            // Flushed at odd points too, as a reader flushes after each chunk.
            if index % 7 == 6 { analysis.flush() }
        }
        let result = analysis.result()
        let flows = result.flows.records
        #expect(flows.count == min(packets, 16))
        #expect(flows.reduce(0) { $0 + $1.packets } == UInt64(packets))
        #expect(flows.reduce(0) { $0 + $1.bytes } == UInt64(packets * 100))
        for flow in flows {
            let port = Int(flow.key.sourcePort) - 1000
            let expected = packets / 16 + (port < packets % 16 ? 1 : 0)
            #expect(flow.packets == UInt64(expected), "flow \(port)")
            #expect(flow.firstSeen == Timestamp(nanoseconds: Int64(port)))
            #expect(flow.sourceMAC == MACAddress(rawValue: 0x0200_0000_0001))
        }
    }

    @Test func directionSourcesHaveOneCounterPerSource() {
        #expect(AnalysisStats().directionSources.count == DirectionSource.allCases.count)
    }
}
