import ArgumentParser
import PathVerifyLinux

/// A live command's filter expression compiled once before anything opens.
/// - Throws: `ExitCode` 64, with libpcap's words on stderr, when it does not compile.
func validateFilter(_ filter: String?) throws {
    guard let filter else { return }
    do {
        try BPFFilter(expression: filter).validate()
    } catch {
        printError("pathverify: \(error)")
        throw ExitCode(ExitStatus.usage)
    }
}
