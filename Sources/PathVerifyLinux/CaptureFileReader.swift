import Glibc
import PathVerifyCore

/// Reads a pcap or pcapng file from disk and hands out its packet records.
///
/// A regular file is mapped into memory a window at a time (4 MiB by default, `mmap(2)` with
/// `MAP_POPULATE`): records are parsed where they lie, nothing is copied, and memory stays
/// bounded whatever the file's size. Anything else (a pipe, a FIFO, a character device) is
/// read with large `read(2)` calls into a buffer of the same size. Either way the buffer grows
/// only if one record is bigger, and `CaptureStreamParser` parses it in place.
///
/// ```swift
/// let summary = try CaptureFileReader(path: "capture.pcapng").read { record in ... }
/// if let damage = summary.damage { print("\(summary.path): \(damage)") }  // the records before it were read
/// ```
public struct CaptureFileReader: Sendable {
    public var path: String
    /// Bytes per window or per `read(2)`.
    public var chunkSize: Int

    public init(path: String, chunkSize: Int = 4 << 20) {
        self.path = path
        self.chunkSize = max(64, chunkSize)
    }

    /// Reads every packet record of the file, in file order.
    ///
    /// - Parameters:
    ///   - onInterface: called for each interface (pcap file header, pcapng IDB) as soon as it is read, before any
    ///     record that names it.
    ///   - afterChunk: called after the records of each chunk, before their bytes go away.
    ///   - body: called once per record; the record's `data` stays valid until the next `afterChunk` call.
    /// - Returns: what was read. A file damaged part-way (truncated, corrupt block) is not an error: `damage` says
    ///   where, and the records before it were delivered.
    /// - Throws: `CaptureFileReaderError` if the file cannot be opened or read, or is not a capture file at all
    ///   (`severity == .unreadable`).
    public func read(
        onInterface: (CaptureInterface) -> Void = { _ in }, afterChunk: () -> Void = {},
        _ body: (CaptureRecord) -> Void
    ) throws(CaptureFileReaderError) -> CaptureFileSummary {
        let descriptor: Int32
        do {
            descriptor = try SystemCallError.retryingOnInterrupt("open") { open(path, O_RDONLY | O_CLOEXEC) }
        } catch {
            throw CaptureFileReaderError(path: path, code: .system(action: "cannot open", error))
        }
        defer { close(descriptor) }

        var parser = CaptureStreamParser()
        var status = stat()
        var streamFrom: Int? = 0
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 {
            streamFrom = readMapped(descriptor, size: Int(status.st_size), &parser, onInterface, afterChunk, body)
        }
        if let offset = streamFrom {
            if offset > 0, lseek(descriptor, off_t(offset), SEEK_SET) < 0 {
                throw CaptureFileReaderError(path: path, code: .system(action: "cannot seek", SystemCallError(call: "lseek", errno: Glibc.errno)))
            }
            try readStreamed(descriptor, &parser, onInterface, afterChunk, body)
        }
        if let error = parser.error, error.severity == .unreadable {
            throw CaptureFileReaderError(path: path, code: .unreadable(error))
        }
        return CaptureFileSummary(
            path: path, format: parser.format, interfaces: parser.interfaces, recordCount: parser.recordCount,
            recordsWithUnknownInterface: parser.recordsWithUnknownInterface, damage: parser.error)
    }

    /// Parses the file, as long as it was when opened, through windows of `mmap(2)`. Returns
    /// `nil` when done, or the offset from which the caller must read it instead (the file
    /// could not be mapped there).
    private func readMapped(
        _ descriptor: Int32, size: Int, _ parser: inout CaptureStreamParser,
        _ onInterface: (CaptureInterface) -> Void, _ afterChunk: () -> Void, _ body: (CaptureRecord) -> Void
    ) -> Int? {
        let page = max(4096, sysconf(Int32(_SC_PAGESIZE)))
        var window = (chunkSize + page - 1) / page * page
        var next = 0  // the first byte not yet parsed
        while true {
            let start = next / page * page
            let length = min(window, size - start)
            let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, off_t(start))
            guard let mapped, mapped != MAP_FAILED else { return next }
            defer { munmap(mapped, length) }
            _ = madvise(mapped, length, MADV_SEQUENTIAL)
            let isFinal = start + length == size
            let bytes = UnsafeRawBufferPointer(start: mapped + (next - start), count: length - (next - start))
            let consumed = parser.parse(bytes, isFinal: isFinal, onInterface: onInterface, body)
            afterChunk()
            if parser.error != nil || isFinal { return nil }
            next += consumed
            // A record longer than what is left of the window: make the window hold it.
            let needed = next % page + parser.bytesNeeded
            if consumed == 0, needed <= length { return next }  // no progress for another reason: let read(2) try
            window = max(window, (needed + page - 1) / page * page)
        }
    }

    private func readStreamed(
        _ descriptor: Int32, _ parser: inout CaptureStreamParser, _ onInterface: (CaptureInterface) -> Void,
        _ afterChunk: () -> Void, _ body: (CaptureRecord) -> Void
    ) throws(CaptureFileReaderError) {
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        var atEnd = false
        while true {
            // Fill the free space, or reach the end of the file.
            while !atEnd, filled < buffer.count {
                let count: Int
                do {
                    count = try SystemCallError.retryingOnInterrupt("read") {
                        Glibc.read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
                    }
                } catch {
                    throw CaptureFileReaderError(path: path, code: .system(action: "cannot read", error))
                }
                if count == 0 { atEnd = true }
                filled += count
            }
            let consumed = parser.parse(
                UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), isFinal: atEnd, onInterface: onInterface, body)
            afterChunk()
            if parser.error != nil || atEnd { return }
            // Keep the unconsumed tail (an incomplete record) at the front.
            let tail = filled - consumed
            if consumed > 0, tail > 0, let base = buffer.baseAddress {
                memmove(base, base + consumed, tail)
            }
            filled = tail
            if parser.bytesNeeded > buffer.count || filled == buffer.count {
                // One record is bigger than the buffer; the parser bounds `bytesNeeded` (256 KiB per classic
                // record, 16 MiB per pcapng block unless a link type needs more).
                let grown = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: max(parser.bytesNeeded, buffer.count * 2), alignment: 16)
                if let source = buffer.baseAddress, let destination = grown.baseAddress {
                    memcpy(destination, source, filled)
                }
                buffer.deallocate()
                buffer = grown
            }
        }
    }
}

/// What `CaptureFileReader.read` read from one file.
public struct CaptureFileSummary: Sendable {
    public var path: String
    public var format: CaptureFormat?
    public var interfaces: [CaptureInterface]
    /// The packet records delivered.
    public var recordCount: Int
    /// pcapng packet blocks skipped because they name an interface their section does not have.
    public var recordsWithUnknownInterface: Int
    /// Where the file is damaged, if it is: the records before that point were delivered.
    public var damage: CaptureFileError?
}

/// A capture file that could not be read at all.
///
/// The description names the file and says why: `capture.pcap: cannot open: No such file or directory`,
/// `notes.txt: not a capture file: it starts with 47 45 54 20 … ("GET …")`.
public struct CaptureFileReaderError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable {
        /// A C call failed; `action` says what the reader was doing ("cannot open", "cannot read").
        case system(action: String, SystemCallError)
        /// The file is not a capture file, or its header is bad.
        case unreadable(CaptureFileError)
    }

    public var path: String
    public var code: Code

    public init(path: String, code: Code) {
        self.path = path
        self.code = code
    }

    public var description: String {
        switch code {
        case .system(let action, let error): "\(path): \(action): \(error)"
        case .unreadable(let error): "\(path): \(error)"
        }
    }
}
