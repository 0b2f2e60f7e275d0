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

    /// A record far bigger than the mapping window: the window grows to hold it, and the
    /// records after it are still read intact.
    @Test func growsTheWindowForARecordBiggerThanIt() throws {
        var writer = PcapWriter(linkType: .ethernet)
        let lengths = [100, 3000, 70_000, 5000, 20]
        for (n, length) in lengths.enumerated() {
            writer.append([UInt8](repeating: UInt8(n), count: length), at: Timestamp(seconds: Int64(n)))
        }
        let path = try Self.temporaryFile(writer.bytes, name: "big-record.pcap")
        var seen: [Int] = []
        var intact = true
        var chunks = 0
        let summary = try CaptureFileReader(path: path, chunkSize: 4096).read(afterChunk: { chunks += 1 }) { record in
            if record.data.contains(where: { $0 != UInt8(seen.count) }) { intact = false }
            seen.append(record.data.count)
        }
        #expect(summary.damage == nil)
        #expect(seen == lengths)
        #expect(intact)
        #expect(chunks > 1, "the file should have been read in more than one window")
    }

    /// A FIFO cannot be mapped: it is read with read(2), with the same records.
    @Test func readsAPipe() throws {
        let (bytes, lengths) = Self.largePcap()
        let file = try Self.temporaryFile(bytes, name: "large.pcap")
        let fifo = file + ".fifo"
        guard mkfifo(fifo, 0o600) == 0 else {
            Issue.record("mkfifo failed: errno \(errno)")
            return
        }
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat \"$0\" > \"$1\"", file, fifo]
        try writer.run()
        var seen: [Int] = []
        let summary = try CaptureFileReader(path: fifo, chunkSize: 65536).read { seen.append($0.data.count) }
        writer.waitUntilExit()
        #expect(summary.damage == nil)
        #expect(seen == lengths)
    }

    /// Records stay valid until `afterChunk`, as `TrafficAnalysis.ingest` needs.
    @Test func recordsStayValidUntilTheChunkEnds() throws {
        let (bytes, _) = Self.largePcap()
        let path = try Self.temporaryFile(bytes, name: "large.pcap")
        var held: [(data: UnsafeRawBufferPointer, value: UInt8)] = []
        var stale = 0
        _ = try CaptureFileReader(path: path, chunkSize: 65536).read(
            afterChunk: {
                stale += held.filter { record in record.data.contains { $0 != record.value } }.count
                held.removeAll()
            },
            { record in held.append((record.data, UInt8(truncatingIfNeeded: record.timestamp.nanoseconds / 1_000_000_000))) })
        #expect(stale == 0)
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
