import Glibc
import PathVerifyCore

/// Reads a pcap or pcapng file from disk with `open(2)` and large `read(2)` calls and hands out its packet records.
///
/// The file is read in chunks (1 MiB by default, grown only if one record is bigger) and parsed in place by
/// `CaptureStreamParser`: records point into the chunk and are valid only during the call to `body`.
///
/// ```swift
/// let summary = try CaptureFileReader(path: "capture.pcapng").read { record in ... }
/// if let damage = summary.damage { print("\(summary.path): \(damage)") }  // the records before it were read
/// ```
public struct CaptureFileReader: Sendable {
    public var path: String
    /// Bytes per `read(2)`.
    public var chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = max(64, chunkSize)
    }

    /// Reads every packet record of the file, in file order.
    ///
    /// - Parameters:
    ///   - onInterface: called for each interface (pcap file header, pcapng IDB) as soon as it is read, before any
    ///     record that names it.
    ///   - body: called once per record; the record's `data` is valid only during the call.
    /// - Returns: what was read. A file damaged part-way (truncated, corrupt block) is not an error: `damage` says
    ///   where, and the records before it were delivered.
    /// - Throws: `CaptureFileReaderError` if the file cannot be opened or read, or is not a capture file at all
    ///   (`severity == .unreadable`).
    public func read(
        onInterface: (CaptureInterface) -> Void = { _ in }, _ body: (CaptureRecord) -> Void
    ) throws(CaptureFileReaderError) -> CaptureFileSummary {
        let descriptor: Int32
        do {
            descriptor = try SystemCallError.retryingOnInterrupt("open") { open(path, O_RDONLY | O_CLOEXEC) }
        } catch {
            throw CaptureFileReaderError(path: path, code: .system(action: "cannot open", error))
        }
        defer { close(descriptor) }

        var parser = CaptureStreamParser()
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
            if parser.error != nil || atEnd { break }
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
        if let error = parser.error, error.severity == .unreadable {
            throw CaptureFileReaderError(path: path, code: .unreadable(error))
        }
        return CaptureFileSummary(
            path: path, format: parser.format, interfaces: parser.interfaces, recordCount: parser.recordCount,
            recordsWithUnknownInterface: parser.recordsWithUnknownInterface, damage: parser.error)
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
