import ArgumentParser

/// Exit codes, mapped once, here. The numbers follow sysexits(3) where one fits.
enum ExitStatus {
    /// Traffic was verified (or there was none) and nothing is wrong.
    static let verified: Int32 = 0
    /// At least one finding.
    static let mismatch: Int32 = 1
    /// Bad usage: an unknown option, a missing argument, a filter that does not compile (EX_USAGE).
    static let usage: Int32 = 64
    /// An input was damaged part-way: the report covers the packets before the damage (EX_DATAERR).
    static let damagedInput: Int32 = 65
    /// An input could not be read at all: missing, unreadable, or not a capture file (EX_NOINPUT).
    static let unreadableInput: Int32 = 66
    /// The config file is missing or invalid (EX_CONFIG).
    static let badConfig: Int32 = 78

    static let helpText = """
        Exit status: 0 verified (no findings), 1 mismatch found, 64 bad usage or filter,
        65 input damaged part-way (report made from what was read), 66 input unreadable,
        78 bad config.
        """
}

/// Prints a line on standard error.
func printError(_ line: String) {
    var standardError = StandardError()
    print(line, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.writeToStandardError(string)
    }
}
