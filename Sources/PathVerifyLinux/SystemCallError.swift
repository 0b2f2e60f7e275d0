import Glibc

/// A failed C call: which call, and the `errno` it left.
///
/// The description is the C library's text for the error (`strerror`), e.g. "No such file or directory"; callers
/// add the path and what they were doing.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C function that failed, e.g. `open`.
    public var call: String
    public var errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// The corresponding C function is `strerror`.
    public var description: String { String(cString: strerror(errno)) }

    /// Runs a C call that returns -1 and sets `errno` on failure, repeating it while it fails with `EINTR`.
    /// - Returns: the call's non-negative result.
    /// - Throws: `SystemCallError` with `call` and the `errno` of the failure.
    static func retryingOnInterrupt<Result: BinaryInteger>(
        _ call: String, _ body: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code != EINTR { throw SystemCallError(call: call, errno: code) }
        }
    }
}
