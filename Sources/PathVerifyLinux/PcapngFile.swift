import Glibc
import PathVerifyCore

/// A pcapng file written as it grows: `PcapngWriter` builds the blocks, this writes them out
/// every megabyte and at `close`.
final class PcapngFile {
    let path: String
    private let descriptor: Int32
    private var writer = PcapngWriter()
    private var closed = false

    /// Creates (or truncates) the file.
    init(path: String, mode: mode_t = 0o644) throws(SystemCallError) {
        self.path = path
        descriptor = try SystemCallError.retryingOnInterrupt("open") {
            open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
    }

    deinit { if !closed { Glibc.close(descriptor) } }

    func addInterface(linkType: LinkType, snapLength: Int, name: String) throws(SystemCallError) -> Int {
        let id = writer.addInterface(linkType: linkType, snapLength: snapLength, name: name)
        try flush(atLeast: 0)
        return id
    }

    func append(_ record: CaptureRecord, interfaceID: Int) throws(SystemCallError) {
        writer.append(
            Array(record.data), interfaceID: interfaceID, at: record.timestamp, originalLength: record.originalLength,
            direction: record.direction)
        try flush(atLeast: 1 << 20)
    }

    func close() throws(SystemCallError) {
        try flush(atLeast: 0)
        closed = true
        guard Glibc.close(descriptor) == 0 else { throw SystemCallError(call: "close", errno: errno) }
    }

    private func flush(atLeast threshold: Int) throws(SystemCallError) {
        guard writer.bytes.count >= threshold, !writer.bytes.isEmpty else { return }
        let bytes = writer.takeBytes()
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)  // bytes is not empty
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(call: "write", errno: errno)
            }
            written += count
        }
    }
}
