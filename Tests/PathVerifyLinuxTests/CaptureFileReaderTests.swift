import Foundation
import PathVerifyCore
import PathVerifyLinux
import Testing

@Suite("CaptureFileReader")
struct CaptureFileReaderTests {
    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pathverify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// 3,000 records of 1 to 1,500 bytes (about 2.3 MB): more than two 1 MiB chunks, so records straddle reads.
    static func largePcap() -> (bytes: [UInt8], lengths: [Int]) {
        var writer = PcapWriter(linkType: .ethernet)
        var lengths: [Int] = []
        for n in 0..<3000 {
            let length = 1 + (n * 7919) % 1500
            lengths.append(length)
            writer.append(
                [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: length), at: Timestamp(seconds: Int64(n)))
        }
        return (writer.bytes, lengths)
    }

    @Test func reportsMissingFileWithTheCallAndErrno() {
        #expect {
            _ = try CaptureFileReader(path: "/nonexistent/capture.pcap").read { _ in }
        } throws: { error in
            (error as? CaptureFileReaderError)?.description
                == "/nonexistent/capture.pcap: cannot open: No such file or directory"
        }
    }

    @Test func reportsReadFailureOnADirectory() {
        #expect {
            _ = try CaptureFileReader(path: "/").read { _ in }
        } throws: { error in
            (error as? CaptureFileReaderError)?.description == "/: cannot read: Is a directory"
        }
    }

    @Test func rejectsAFileThatIsNotACapture() throws {
        let path = try Self.temporaryFile(Array("hello, world\n".utf8), name: "notes.txt")
        do {
            _ = try CaptureFileReader(path: path).read { _ in }
            Issue.record("read a text file as a capture")
        } catch {
            #expect(error.description.hasPrefix("\(path): not a capture file: it starts with 68 65 6c 6c"))
            guard case .unreadable(let cause) = error.code else { return }
            #expect(cause.severity == .unreadable)
        }
    }

    @Test(arguments: [1 << 20, 4096, 100])
    func readsEveryRecordAcrossChunks(chunkSize: Int) throws {
        let (bytes, lengths) = Self.largePcap()
        let path = try Self.temporaryFile(bytes, name: "large.pcap")
        var seen: [Int] = []
        var intact = true
        let summary = try CaptureFileReader(path: path, chunkSize: chunkSize).read { record in
            seen.append(record.data.count)
            let expected = UInt8(truncatingIfNeeded: seen.count - 1)
            if record.data.contains(where: { $0 != expected }) { intact = false }
        }
        #expect(summary.damage == nil)
        #expect(summary.recordCount == 3000)
        #expect(seen == lengths)
        #expect(intact)
        #expect(try LibpcapFileReader.countRecords(path: path).records == 3000)
    }

    @Test func keepsTheRecordsBeforeATruncation() throws {
        let (bytes, _) = Self.largePcap()
        let path = try Self.temporaryFile(Array(bytes.dropLast(100)), name: "cut.pcap")
        var count = 0
        let summary = try CaptureFileReader(path: path, chunkSize: 65536).read { _ in count += 1 }
        #expect(count == 2999)
        #expect(summary.damage?.severity == .damaged)
        #expect(summary.damage?.recordNumber == 3000)
        #expect(
            summary.damage?.description.hasPrefix("truncated at byte \(bytes.count - 100), inside record 3000") == true)
    }

    @Test func announcesInterfacesBeforeTheirRecords() throws {
        var writer = PcapngWriter()
        writer.addInterface(linkType: .ethernet, name: "eth0")
        writer.append(Self.frame(1), interfaceID: 0, at: Timestamp(seconds: 1))
        writer.addInterface(linkType: .linuxSLL2, name: "any")
        writer.append(Self.frame(2), interfaceID: 1, at: Timestamp(seconds: 2), direction: .outbound)
        let path = try Self.temporaryFile(writer.bytes, name: "two.pcapng")
        var events: [String] = []
        let summary = try CaptureFileReader(path: path).read(
            onInterface: { events.append("interface \($0.index) \($0.name ?? "?")") },
            { events.append("record on \($0.interfaceID) \($0.direction)") })
        #expect(events == ["interface 0 eth0", "record on 0 unknown", "interface 1 any", "record on 1 out"])
        #expect(summary.format == .pcapng)
        #expect(summary.interfaces.map(\.linkType) == [.ethernet, .linuxSLL2])
    }

    static func frame(_ n: UInt8) -> [UInt8] { [UInt8](repeating: n, count: 14) }
}
