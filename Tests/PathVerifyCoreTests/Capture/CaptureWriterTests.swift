import PathVerifyCore
import Testing

@Suite("CaptureWriters")
struct CaptureWriterTests {
    @Test func pcapWriterRoundTrips() {
        var writer = PcapWriter(linkType: .linuxSLL2, snapLength: 128)
        writer.append(frame(1, count: 20), at: Timestamp(seconds: 1_700_000_000, nanoseconds: 250_000))
        writer.append(frame(2, count: 3), at: Timestamp(seconds: 1_700_000_001, nanoseconds: 999), originalLength: 1500)
        let outcome = parseCapture(writer.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.format == .pcap(byteOrder: .little, nanosecond: false))
        #expect(outcome.parser.interfaces.first?.linkType == .linuxSLL2)
        #expect(outcome.parser.interfaces.first?.snapLength == 128)
        #expect(outcome.records.map(\.data) == [frame(1, count: 20), frame(2, count: 3)])
        #expect(outcome.records.map(\.originalLength) == [20, 1500])
        // Microseconds only: the 999 ns are dropped.
        #expect(
            outcome.records.map(\.timestamp) == [
                Timestamp(seconds: 1_700_000_000, nanoseconds: 250_000), Timestamp(seconds: 1_700_000_001),
            ])
    }

    @Test func pcapWriterHeaderMatchesTheFormat() {
        // d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000: what tcpdump -w writes for ETHERNET, snaplen 65535.
        #expect(
            PcapWriter(linkType: .ethernet, snapLength: 65535).bytes == [
                0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
            ])
    }

    @Test(arguments: [ByteOrder.little, ByteOrder.big])
    func pcapngWriterRoundTrips(byteOrder: ByteOrder) {
        var writer = PcapngWriter(byteOrder: byteOrder)
        let first = writer.addInterface(
            linkType: .ethernet, name: "ens1f0", macAddress: MACAddress("02:00:00:00:0a:01"))
        let second = writer.addInterface(linkType: .linuxSLL2, snapLength: 96)
        writer.append(
            frame(1, count: 7), interfaceID: first, at: Timestamp(seconds: 5, nanoseconds: 1000), direction: .inbound)
        writer.append(
            frame(2, count: 60), interfaceID: second, at: Timestamp(seconds: 6), originalLength: 9000,
            direction: .outbound)
        writer.append(frame(3, count: 1), interfaceID: first, at: Timestamp(seconds: 7))
        let outcome = parseCapture(writer.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.interfaces.map(\.name) == ["ens1f0", nil])
        #expect(outcome.parser.interfaces.map(\.macAddress) == [MACAddress("02:00:00:00:0a:01"), nil])
        #expect(outcome.parser.interfaces.map(\.snapLength) == [0, 96])
        #expect(outcome.records.map(\.interfaceID) == [0, 1, 0])
        #expect(outcome.records.map(\.direction) == [.inbound, .outbound, .unknown])
        #expect(outcome.records.map(\.data) == [frame(1, count: 7), frame(2, count: 60), frame(3, count: 1)])
        #expect(outcome.records.map(\.originalLength) == [7, 9000, 1])
        #expect(
            outcome.records.map(\.timestamp) == [
                Timestamp(seconds: 5, nanoseconds: 1000), Timestamp(seconds: 6), Timestamp(seconds: 7),
            ])
    }
}
