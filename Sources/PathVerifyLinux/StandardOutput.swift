import Glibc

/// Standard output written straight to the file descriptor, so that each screen or CSV row
/// reaches a pipe when it is made, not when a buffer fills.
public enum StandardOutput {
    /// Whether standard output is a terminal (not a pipe or a file).
    ///
    /// The corresponding C function is `isatty`.
    public static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

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
