import PathVerifyCore
import Testing

/// Streaming: the same file fed in any chunk size gives the same records, and every prefix of a file is handled.
@Suite("CaptureChunking")
struct CaptureChunkingTests {
    /// Small files that cover each parser path: classic pcap, and pcapng with two sections of different byte order,
    /// options, SPB, a skipped block and a packet on a missing interface.
    static let fixtures: [(String, [UInt8])] = {
        var pcap = PcapWriter(linkType: .ethernet)
        for n in 1...5 { pcap.append(frame(UInt8(n), count: n * 3), at: Timestamp(seconds: Int64(n))) }

        var first = PcapngBuilder(.little)
        first.sectionHeader()
        first.interface(options: [first.option(2, Array("eth0".utf8)), first.option(9, [9])])
        first.enhancedPacket(interface: 0, timestamp: 1_000, data: frame(1, count: 5), flags: 1)
        first.block(4, first.u16(0) + first.u16(0))
        first.simplePacket(originalLength: 9, data: frame(2, count: 9))
        first.enhancedPacket(interface: 4, timestamp: 0, data: frame(9))
        var second = PcapngBuilder(.big)
        second.sectionHeader()
        second.interface(linkType: 113)
        second.interface(linkType: 276, options: [second.option(2, Array("any".utf8))])
        second.enhancedPacket(interface: 1, timestamp: 2_000_000, data: frame(3, count: 14), flags: 2)
        second.enhancedPacket(interface: 0, timestamp: 3_000_000, data: frame(4, count: 1))

        var written = PcapngWriter()
        written.addInterface(linkType: .ethernet, name: "a")
        written.append(frame(5, count: 33), interfaceID: 0, at: Timestamp(seconds: 9), direction: .inbound)
        return [("pcap", pcap.bytes), ("pcapng", first.bytes + second.bytes), ("pcapng-writer", written.bytes)]
    }()

    @Test(arguments: [1, 7, 64, 4096])
    func chunkSizeDoesNotChangeRecords(chunkSize: Int) {
        for (name, bytes) in Self.fixtures {
            let whole = parseCapture(bytes)
            let chunked = parseCapture(bytes, chunkSize: chunkSize)
            #expect(whole.error == nil, "\(name)")
            #expect(chunked.error == nil, "\(name) in chunks of \(chunkSize)")
            #expect(chunked.records == whole.records, "\(name) in chunks of \(chunkSize)")
            #expect(chunked.parser.interfaces == whole.parser.interfaces, "\(name)")
            #expect(chunked.parser.offset == bytes.count, "\(name)")
        }
    }

    @Test func everyPrefixKeepsTheRecordsBeforeTheCut() {
        for (name, bytes) in Self.fixtures {
            let whole = parseCapture(bytes)
            // File offsets where a record or block ends, found by parsing ever longer prefixes without isFinal.
            for cut in 0...bytes.count {
                let outcome = parseCapture(Array(bytes[0..<cut]))
                let context: Comment = "\(name) cut at \(cut)"
                #expect(outcome.records == Array(whole.records.prefix(outcome.records.count)), context)
                guard let error = outcome.error else {
                    // No error means the cut fell exactly between records or blocks.
                    #expect(outcome.parser.offset == cut, context)
                    continue
                }
                #expect(error.recordNumber == outcome.records.count + 1, context)
                #expect(error.offset <= cut, context)
                switch error.code {
                case .truncated(_, let needed, let available):
                    #expect(error.offset + available == cut, context)
                    #expect(needed > available, context)
                    if error.offset > 0 { #expect(error.severity == .damaged, context) }
                case .notACaptureFile:
                    #expect(cut < 4, context)
                    #expect(error.severity == .unreadable, context)
                default:
                    Issue.record("\(context): unexpected \(error)")
                }
            }
        }
    }
}
