import Glibc

/// Standard output written straight to the file descriptor, so that each screen or CSV row
/// reaches a pipe when it is made, not when a buffer fills.
public enum StandardOutput {
    /// Whether standard output is a terminal (not a pipe or a file).
    ///
    /// The corresponding C function is `isatty`.
    public static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether standard output is systemd's journal: `JOURNAL_STREAM` holds the device and
    /// inode of that stream (systemd.exec(5)), and they are stdout's own.
    ///
    /// The corresponding C functions are `getenv` and `fstat`.
    public static var isJournal: Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        var status = stat()
        guard fstat(STDOUT_FILENO, &status) == 0 else { return false }
        return value == "\(status.st_dev):\(status.st_ino)"
    }

    /// ANSI: cursor home, then erase the screen.
    public static let clearScreen = "\u{1B}[H\u{1B}[2J"

    /// Writes all of `text`.
    ///
    /// The corresponding C function is `write`.
    public static func write(_ text: String) throws(SystemCallError) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = try SystemCallError.retryingOnInterrupt("write") {
                bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            }
            bytes = bytes.dropFirst(count)
        }
    }
}
