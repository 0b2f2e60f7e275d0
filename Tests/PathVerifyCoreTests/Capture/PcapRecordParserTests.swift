import PathVerifyCore
import Testing

@Suite("CapturePcapParser")
struct PcapRecordParserTests {
    // Classic pcap file header, little-endian, microseconds, written by hand from pcap-savefile(5):
    // magic d4 c3 b2 a1 | version 2.4 | thiszone 0 | sigfigs 0 | snaplen 65535 | linktype 1 (ETHERNET).
    static let littleEndianHeader: [UInt8] = [
        0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    ]

    // Two records, each: ts_sec | ts_usec | caplen | len (little-endian), then caplen bytes.
    // Record 1: 1700000000 s (0x6553f100) + 123456 us (0x0001e240), 4 of 60 bytes captured (snapped).
    // Record 2: 1700000001 s + 0 us, 2 of 2 bytes.
    static let littleEndianRecords: [UInt8] = [
        0x00, 0xF1, 0x53, 0x65, 0x40, 0xE2, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00,
        0xDE, 0xAD, 0xBE, 0xEF,
        0x01, 0xF1, 0x53, 0x65, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
        0xAA, 0xBB,
    ]

    @Test func readsLittleEndianMicrosecondFile() {
        let outcome = parseCapture(Self.littleEndianHeader + Self.littleEndianRecords)
        #expect(outcome.error == nil)
        #expect(outcome.parser.format == .pcap(byteOrder: .little, nanosecond: false))
        #expect(outcome.parser.interfaces.map(\.snapLength) == [65535])
        #expect(outcome.records.count == 2)
        #expect(outcome.records[0].timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000))
        #expect(outcome.records[0].data == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(outcome.records[0].originalLength == 60)
        #expect(outcome.records[0].linkType == .ethernet)
        #expect(outcome.records[0].interfaceID == 0)
        #expect(outcome.records[0].direction == .unknown)
        #expect(outcome.records[1].timestamp == Timestamp(seconds: 1_700_000_001))
        #expect(outcome.records[1].data == [0xAA, 0xBB])
    }

    @Test func readsBigEndianNanosecondFile() {
        // magic a1 b2 3c 4d (nanosecond) in big-endian order, version 2.4, snaplen 262144, linktype 101 (RAW);
        // one record: 0x00000010 s, 999999999 ns (0x3b9ac9ff), caplen 1, len 1, byte 0x45.
        let bytes: [UInt8] = [
            0xA1, 0xB2, 0x3C, 0x4D, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x65,
            0x00, 0x00, 0x00, 0x10, 0x3B, 0x9A, 0xC9, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
            0x45,
        ]
        let outcome = parseCapture(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.format == .pcap(byteOrder: .big, nanosecond: true))
        #expect(outcome.records.map(\.timestamp) == [Timestamp(seconds: 16, nanoseconds: 999_999_999)])
        #expect(outcome.records.first?.linkType == .raw)
        #expect(outcome.parser.interfaces.first?.timestampResolution == .nanoseconds)
    }

    @Test func readsModifiedFormatWithPacketType() {
        // magic 34 cd b2 a1 (Kuznetzov, little-endian), linktype 1; records have 8 more header bytes:
        // ifindex (4) | protocol (2) | pkt_type (1) | pad (1). pkt_type 4 = PACKET_OUTGOING, 0 = PACKET_HOST.
        var bytes: [UInt8] = [0x34, 0xCD, 0xB2, 0xA1] + Array(Self.littleEndianHeader[4...])
        bytes += [0x01, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0] + [3, 0, 0, 0, 0x08, 0x00, 4, 0] + [0x11]
        bytes += [0x02, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0] + [3, 0, 0, 0, 0x08, 0x00, 0, 0] + [0x22]
        let outcome = parseCapture(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.format == .pcapModified(byteOrder: .little))
        #expect(outcome.records.map(\.direction) == [.outbound, .inbound])
        #expect(outcome.records.map(\.data) == [[0x11], [0x22]])
    }

    @Test func ignoresFCSBitsButKeepsRawLinkType() {
        // linktype field 0x30000001: FCS length 3 in bits 28-31 (as tcpdump's fuzzed test files have), type 1.
        var bytes = Self.littleEndianHeader
        bytes[20...23] = [0x01, 0x00, 0x00, 0x30]
        let outcome = parseCapture(bytes + Self.littleEndianRecords)
        #expect(outcome.error == nil)
        #expect(outcome.parser.interfaces.first?.linkType == .ethernet)
        #expect(outcome.parser.interfaces.first?.rawLinkType == 0x3000_0001)
        #expect(outcome.records.count == 2)
    }

    @Test func rejectsReservedLinkTypeBits() {
        // linktype field 0x00300000 as in libpcap's linktype-reserved-field-not-zero.pcap.
        var bytes = Self.littleEndianHeader
        bytes[20...23] = [0x00, 0x00, 0x30, 0x00]
        let error = parseCapture(bytes).error
        #expect(error?.code == .reservedLinkTypeBitsSet(rawLinkType: 0x0030_0000))
        #expect(error?.severity == .unreadable)
    }

    @Test func rejectsUnsupportedVersion() {
        var bytes = Self.littleEndianHeader
        bytes[4] = 0x01  // version 1.4
        let error = parseCapture(bytes + Self.littleEndianRecords).error
        #expect(error?.code == .unsupportedVersion(format: "pcap", major: 1, minor: 4))
        #expect(error?.severity == .unreadable)
        #expect(error?.description == "unsupported pcap version 1.4 at byte 0")
    }

    @Test func rejectsTextWithItsFirstBytes() {
        let error = parseCapture(Array("GET / HTTP/1.1\r\n".utf8)).error
        #expect(error?.severity == .unreadable)
        #expect(error?.code == .notACaptureFile(firstBytes: Array("GET / HT".utf8)))
        #expect(
            error?.description.hasPrefix("not a capture file: it starts with 47 45 54 20 2f 20 48 54 (\"GET / HT\")")
                == true)
    }

    @Test func rejectsEmptyAndTinyFiles() {
        #expect(parseCapture([]).error?.description == "not a capture file: the file is empty")
        #expect(parseCapture([0xD4, 0xC3]).error?.code == .notACaptureFile(firstBytes: [0xD4, 0xC3]))
        let header = parseCapture(Array(Self.littleEndianHeader[0..<10])).error
        #expect(header?.code == .truncated(unit: .fileHeader, needed: 24, available: 10))
        #expect(header?.severity == .unreadable)
    }

    @Test func stopsAtImpossibleCapturedLength() {
        // A third record whose caplen is 0x00100000 (1 MiB), above the 256 KiB maximum for ETHERNET.
        let bad: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00]
        let outcome = parseCapture(Self.littleEndianHeader + Self.littleEndianRecords + bad + frame(1, count: 64))
        #expect(outcome.records.count == 2)
        #expect(outcome.error?.code == .capturedLengthTooLarge(capturedLength: 1_048_576, limit: 262_144))
        #expect(outcome.error?.severity == .damaged)
        #expect(outcome.error?.offset == 24 + Self.littleEndianRecords.count)
        #expect(outcome.error?.recordNumber == 3)
    }

    @Test func reportsTruncationInsideARecord() {
        let bytes = Self.littleEndianHeader + Self.littleEndianRecords
        let outcome = parseCapture(Array(bytes.dropLast(1)))
        #expect(outcome.records.count == 1)
        #expect(outcome.error?.code == .truncated(unit: .record, needed: 18, available: 17))
        #expect(outcome.error?.severity == .damaged)
        #expect(
            outcome.error?.description
                == "truncated at byte 61, inside record 2: the file ends 1 bytes short of the end of a packet record "
                + "that starts at byte 44")
    }

    @Test func headerOnlyFileHasNoRecordsAndNoError() {
        let outcome = parseCapture(Self.littleEndianHeader)
        #expect(outcome.error == nil)
        #expect(outcome.records.isEmpty)
        #expect(outcome.parser.interfaces.count == 1)
    }
}
