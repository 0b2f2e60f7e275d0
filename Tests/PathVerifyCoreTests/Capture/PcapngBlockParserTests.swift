import PathVerifyCore
import Testing

@Suite("CapturePcapngParser")
struct PcapngBlockParserTests {
    // A little-endian pcapng file written out by hand from draft-ietf-opsawg-pcapng §4:
    //   SHB  0a0d0d0a len 28 | magic 4d3c2b1a | version 1.0 | section length -1 | len 28
    //   IDB  01000000 len 44 | linktype 1, reserved 0, snaplen 0 | if_name(2) "eth0" | if_MACaddr(6)
    //        02:00:00:00:0a:01 (6 bytes + 2 padding) | opt_endofopt | len 44
    //   EPB  06000000 len 48 | interface 0 | ts high 0, low 1000000 (0x000f4240) = 1 s in µs | caplen 3 | len 3 |
    //        data aa bb cc + 1 padding | epb_flags(2) len 4 = 0x00000001 (inbound) | opt_endofopt | len 48
    static let littleEndianFile: [UInt8] = [
        0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0x00, 0x00, 0x00, 0x4D, 0x3C, 0x2B, 0x1A, 0x01, 0x00, 0x00, 0x00,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1C, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x04, 0x00, 0x65, 0x74, 0x68, 0x30,
        0x06, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0A, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00,
        0x06, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x40, 0x42, 0x0F, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0xAA, 0xBB, 0xCC, 0x00,
        0x02, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00,
    ]

    @Test func readsHandWrittenLittleEndianFile() {
        let outcome = parseCapture(Self.littleEndianFile)
        #expect(outcome.error == nil)
        #expect(outcome.parser.format == .pcapng)
        let interface = outcome.parser.interfaces.first
        #expect(interface?.name == "eth0")
        #expect(interface?.macAddress == MACAddress("02:00:00:00:0a:01"))
        #expect(interface?.linkType == .ethernet)
        #expect(interface?.snapLength == 0)
        #expect(outcome.records.count == 1)
        #expect(outcome.records.first?.timestamp == Timestamp(seconds: 1))
        #expect(outcome.records.first?.data == [0xAA, 0xBB, 0xCC])
        #expect(outcome.records.first?.direction == .inbound)
    }

    @Test func readsBigEndianFile() {
        // The same content as `littleEndianFile` with every multi-byte field big-endian (the builder lays it out).
        var file = PcapngBuilder(.big)
        file.sectionHeader()
        file.interface(options: [file.option(2, Array("eth0".utf8))])
        file.enhancedPacket(interface: 0, timestamp: 1_000_000, data: [0xAA, 0xBB, 0xCC], flags: 0b10)
        #expect(Array(file.bytes[8..<12]) == [0x1A, 0x2B, 0x3C, 0x4D])
        let outcome = parseCapture(file.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.interfaces.first?.name == "eth0")
        #expect(outcome.records.map(\.data) == [[0xAA, 0xBB, 0xCC]])
        #expect(outcome.records.first?.timestamp == Timestamp(seconds: 1))
        #expect(outcome.records.first?.direction == .outbound)
    }

    @Test func numbersInterfacesAcrossSectionsOfDifferentByteOrder() {
        // Section 0 (little-endian): one IDB "a0" and a packet on it.
        // Section 1 (big-endian): IDBs "b0" and "b1" and a packet on its interface 1, which is the file's interface 2.
        var first = PcapngBuilder(.little)
        first.sectionHeader()
        first.interface(options: [first.option(2, Array("a0".utf8))])
        first.enhancedPacket(interface: 0, timestamp: 1, data: frame(1))
        var second = PcapngBuilder(.big)
        second.sectionHeader()
        second.interface(linkType: 113, options: [second.option(2, Array("b0".utf8))])
        second.interface(linkType: 276, options: [second.option(2, Array("b1".utf8))])
        second.enhancedPacket(interface: 1, timestamp: 2, data: frame(2))
        second.enhancedPacket(interface: 0, timestamp: 3, data: frame(3))
        let outcome = parseCapture(first.bytes + second.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.interfaces.map(\.name) == ["a0", "b0", "b1"])
        #expect(outcome.parser.interfaces.map(\.section) == [0, 1, 1])
        #expect(outcome.records.map(\.interfaceID) == [0, 2, 1])
        #expect(outcome.records.map(\.linkType) == [.ethernet, .linuxSLL2, .linuxSLL])
    }

    @Test(arguments: [
        // if_tsresol 9 (10^-9): 1_500_000_000 units = 1.5 s.
        (UInt8(9), UInt64(1_500_000_000), Int64(1_500_000_000)),
        // if_tsresol 3 (10^-3, ms): 2_500 units = 2.5 s.
        (UInt8(3), UInt64(2_500), Int64(2_500_000_000)),
        // if_tsresol 0x8a (2^-10): 5.5 s = 5 * 1024 + 512 units.
        (UInt8(0x8A), UInt64(5 * 1024 + 512), Int64(5_500_000_000)),
        // if_tsresol 0x9e (2^-30, as some hardware writes): 1 s + 2^-1 s.
        (UInt8(0x9E), UInt64(3) << 29, Int64(1_500_000_000)),
        // if_tsresol 12 (10^-12, ps): 7_000_000_000_000 units = 7 s.
        (UInt8(12), UInt64(7_000_000_000_000), Int64(7_000_000_000)),
    ])
    func scalesTimestampsByResolution(resolution: UInt8, units: UInt64, nanoseconds: Int64) {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface(options: [file.option(9, [resolution])])
        file.enhancedPacket(interface: 0, timestamp: units, data: frame(1))
        let outcome = parseCapture(file.bytes)
        #expect(
            outcome.parser.interfaces.first?.timestampResolution == CaptureTimestampResolution(rawValue: resolution))
        #expect(outcome.records.map(\.timestamp) == [Timestamp(nanoseconds: nanoseconds)])
    }

    @Test func addsTimestampOffset() {
        // if_tsoffset (14) = 1_000_000_000 s, a 64-bit signed integer.
        var file = PcapngBuilder(.big)
        file.sectionHeader()
        file.interface(options: [file.option(14, file.u64(1_000_000_000))])
        file.enhancedPacket(interface: 0, timestamp: 2_000_000, data: frame(1))
        let outcome = parseCapture(file.bytes)
        #expect(outcome.parser.interfaces.first?.timestampOffset == 1_000_000_000)
        #expect(outcome.records.map(\.timestamp) == [Timestamp(seconds: 1_000_000_002)])
    }

    @Test func readsDirectionFromFlags() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface()
        // Bits 0-1: 01 inbound, 10 outbound, 00 unknown; bits above (reception type 011 broadcast here) are ignored.
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(1), flags: 0b01 | 0b011 << 2)
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(2), flags: 0b10)
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(3), flags: 0b00)
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(4))
        let outcome = parseCapture(file.bytes)
        #expect(outcome.records.map(\.direction) == [.inbound, .outbound, .unknown, .unknown])
    }

    @Test func readsSimplePacketBlocks() {
        // SPB: original length 100 but snaplen 4 → 4 bytes; original length 2 → 2 bytes (the rest is padding).
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface(snapLength: 4)
        file.simplePacket(originalLength: 100, data: frame(1, count: 8))
        file.simplePacket(originalLength: 2, data: frame(2, count: 2))
        let outcome = parseCapture(file.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.records.map(\.data) == [frame(1, count: 4), frame(2, count: 2)])
        #expect(outcome.records.map(\.originalLength) == [100, 2])
        #expect(outcome.records.map(\.interfaceID) == [0, 0])
    }

    @Test func readsObsoletePacketBlock() {
        // Packet Block (type 2, Appendix A): interface (2) | drops (2) | ts high | ts low | caplen | len | data |
        // options (pack_flags = 2 with the epb_flags layout: outbound).
        var file = PcapngBuilder(.big)
        file.sectionHeader()
        file.interface()
        file.interface(linkType: 101)
        let body =
            file.u16(1) + file.u16(7) + file.u32(0) + file.u32(3_000_000) + file.u32(2) + file.u32(40) + [
                0x45, 0, 0, 0,
            ]
            + file.option(2, file.u32(0b10)) + file.endOfOptions()
        file.block(2, body)
        let outcome = parseCapture(file.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 1)
        #expect(outcome.records.first?.interfaceID == 1)
        #expect(outcome.records.first?.linkType == .raw)
        #expect(outcome.records.first?.timestamp == Timestamp(seconds: 3))
        #expect(outcome.records.first?.data == [0x45, 0])
        #expect(outcome.records.first?.originalLength == 40)
        #expect(outcome.records.first?.direction == .outbound)
    }

    @Test func skipsOtherBlocks() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.block(0x0000_0BAD, file.u32(32473) + frame(9, count: 8))  // Custom Block: PEN + data
        file.interface()
        file.block(4, file.u16(0) + file.u16(0))  // NRB with only nrb_record_end
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(1))
        file.block(5, file.u32(0) + file.u32(0) + file.u32(0))  // ISB: interface 0, timestamp 0
        file.block(0x7FFF_1234, frame(7, count: 12))  // a type no draft defines
        file.block(0x0000_000A, file.u32(0x544C_534B) + file.u32(0))  // DSB, TLS key log, 0 bytes
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(2))
        let outcome = parseCapture(file.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.records.map(\.data) == [frame(1), frame(2)])
    }

    @Test func countsAndSkipsPacketsOfMissingInterfaces() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.simplePacket(originalLength: 6, data: frame(0))  // no IDB yet
        file.interface()
        file.enhancedPacket(interface: 3, timestamp: 0, data: frame(1))  // only interface 0 exists
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(2))
        let outcome = parseCapture(file.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.parser.recordsWithUnknownInterface == 2)
        #expect(outcome.records.map(\.data) == [frame(2)])
    }

    @Test func rejectsBlockLengthThatIsNotAMultipleOfFour() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface()
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(1))
        let badAt = file.bytes.count
        file.bytes += file.u32(6) + file.u32(33) + [UInt8](repeating: 0, count: 40)
        let outcome = parseCapture(file.bytes)
        #expect(outcome.records.count == 1)
        #expect(outcome.error?.code == .invalidBlockLength(blockType: 6, length: 33))
        #expect(outcome.error?.offset == badAt)
        #expect(outcome.error?.severity == .damaged)
        #expect(outcome.error?.description.contains("not a multiple of 4") == true)
    }

    @Test func rejectsTooShortBlockLength() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.bytes += file.u32(1) + file.u32(8) + file.u32(8)
        #expect(parseCapture(file.bytes).error?.code == .invalidBlockLength(blockType: 1, length: 8))
    }

    @Test func rejectsMismatchedTrailingLength() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface()
        file.bytes[file.bytes.count - 4] = 0x18  // trailing length 24 instead of 20
        let error = parseCapture(file.bytes).error
        #expect(error?.code == .blockLengthMismatch(blockType: 1, leading: 20, trailing: 24))
        #expect(error?.offset == 28)
    }

    @Test func rejectsCapturedLengthBeyondBlock() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface()
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(1, count: 8))
        file.bytes[28 + 20 + 20] = 200  // the EPB's captured length: 200 bytes in a 40-byte block
        let error = parseCapture(file.bytes).error
        #expect(error?.code == .capturedLengthExceedsBlock(blockType: 6, capturedLength: 200, room: 8))
        #expect(error?.recordNumber == 1)
    }

    @Test(arguments: [(UInt16(0), UInt16(1)), (UInt16(1), UInt16(1)), (UInt16(2), UInt16(0))])
    func rejectsUnsupportedSectionVersion(major: UInt16, minor: UInt16) {
        var file = PcapngBuilder(.little)
        file.sectionHeader(major: major, minor: minor)
        file.interface()
        let error = parseCapture(file.bytes).error
        #expect(error?.code == .unsupportedVersion(format: "pcapng", major: Int(major), minor: Int(minor)))
        #expect(error?.severity == .unreadable)
    }

    @Test func acceptsVersionOnePointTwo() {
        var file = PcapngBuilder(.little)
        file.sectionHeader(major: 1, minor: 2)
        file.interface()
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(1))
        #expect(parseCapture(file.bytes).records.count == 1)
    }

    @Test func rejectsOptionRunningPastBlock() {
        // An SHB whose first option claims 0x3030 bytes, like libpcap's shb-option-too-long.pcapng.
        var file = PcapngBuilder(.little)
        file.block(
            0x0A0D_0D0A,
            file.u32(0x1A2B_3C4D) + file.u16(1) + file.u16(0) + file.u64(UInt64.max)
                + file.u16(0x3030) + file.u16(0x3030) + frame(0x30, count: 8))
        let error = parseCapture(file.bytes).error
        #expect(error?.code == .malformedOption(blockType: 0x0A0D_0D0A, optionCode: 0x3030, optionLength: 0x3030))
        #expect(error?.severity == .unreadable)
    }

    @Test func rejectsBadByteOrderMagic() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.bytes[8] = 0x00
        #expect(parseCapture(file.bytes).error?.code == .badByteOrderMagic(0x003C_2B1A))
    }

    @Test func reportsTruncatedBlock() {
        var file = PcapngBuilder(.little)
        file.sectionHeader()
        file.interface()
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(1))
        let start = file.bytes.count
        file.enhancedPacket(interface: 0, timestamp: 0, data: frame(2))
        let outcome = parseCapture(Array(file.bytes.dropLast(10)))
        #expect(outcome.records.count == 1)
        #expect(outcome.error?.code == .truncated(unit: .block(type: 6), needed: 40, available: 30))
        #expect(outcome.error?.offset == start)
        #expect(outcome.error?.recordNumber == 2)
        #expect(
            outcome.error?.description
                == "truncated at byte \(start + 30), inside record 2: the file ends 10 bytes short of the end of an "
                + "Enhanced Packet Block that starts at byte \(start)")
    }
}
