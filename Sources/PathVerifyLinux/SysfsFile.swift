import Glibc

/// Reads the small text files of `/sys/class/net`.
enum SysfsFile {
    /// The errors that mean "this interface is not there": the file or its device vanished
    /// (ENOENT, ENODEV, ENXIO), or the entry is not an interface directory at all (ENOTDIR, as
    /// for `bonding_masters`).
    static let goneErrors: Set<Int32> = [ENOENT, ENODEV, ENXIO, ENOTDIR]

    /// The file's text without its trailing line feed, or `nil` if the interface is gone.
    ///
    /// The corresponding C functions are `open`, `read` and `close`.
    /// - Parameter absent: more errors that mean "no value" for this file (`speed` fails with
    ///   EINVAL on interfaces whose driver does not report one).
    static func read(_ path: String, absent: Set<Int32> = []) throws(SysfsReadError) -> String? {
        do throws(SystemCallError) {
            let descriptor = try SystemCallError.retryingOnInterrupt("open") { open(path, O_RDONLY | O_CLOEXEC) }
            defer { close(descriptor) }
            // sysfs attributes are at most a page; read until end of file anyway.
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = try SystemCallError.retryingOnInterrupt("read") {
                    chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                }
                if count == 0 { break }
                bytes += chunk[0..<count]
            }
            var text = String(decoding: bytes, as: UTF8.self)
            while text.last == "\n" { text.removeLast() }
            return text
        } catch {
            if goneErrors.contains(error.errno) || absent.contains(error.errno) { return nil }
            throw SysfsReadError(path: path, reason: .systemCall(error))
        }
    }

    /// A decimal counter such as `statistics/rx_bytes`; `nil` if the interface is gone.
    static func readUInt64(_ path: String) throws(SysfsReadError) -> UInt64? {
        guard let text = try read(path) else { return nil }
        guard let value = UInt64(text) else { throw SysfsReadError(path: path, reason: .unexpectedContent(text)) }
        return value
    }

    /// A decimal integer such as `ifindex`; `nil` if the interface is gone.
    static func readInt(_ path: String) throws(SysfsReadError) -> Int? {
        guard let text = try read(path) else { return nil }
        guard let value = Int(text) else { throw SysfsReadError(path: path, reason: .unexpectedContent(text)) }
        return value
    }

    /// Whether `name` can be an interface's directory under a root: not empty, not `.` or
    /// `..`, no `/`. Guards against names from the command line reaching outside the root.
    static func isInterfaceName(_ name: String) -> Bool {
        // On the bytes: `String.contains(_:)` with a string is Foundation's substring search.
        !name.isEmpty && name != "." && name != ".." && !name.utf8.contains(UInt8(ascii: "/"))
    }
}
