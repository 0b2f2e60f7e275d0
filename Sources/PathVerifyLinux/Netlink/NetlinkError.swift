import Glibc

/// A netlink request that failed: which request, and why.
public struct NetlinkError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The kernel answered `NLMSG_ERROR` (or ended a dump) with this `errno`; `message` is
        /// its extended-ack text, when it gave one.
        case refused(errno: Int32, message: String?)
        /// A socket call failed.
        case systemCall(SystemCallError)
        /// No answer arrived within the socket's receive timeout.
        case noAnswer(timeout: Duration)
        /// The answer could not be read.
        case malformed(NetlinkDecodeError)
        /// Every try of the dump was interrupted by changes (`NLM_F_DUMP_INTR`), so none is consistent.
        case dumpInterrupted(attempts: Int)
    }

    /// The request, by its kernel name: `RTM_GETROUTE`.
    public var request: String
    public var reason: Reason

    public init(request: String, reason: Reason) {
        self.request = request
        self.reason = reason
    }

    /// The error number of a refusal or a failed socket call; `nil` for the other reasons.
    public var errno: Int32? {
        switch reason {
        case .refused(let errno, _): errno
        case .systemCall(let error): error.errno
        case .noAnswer, .malformed, .dumpInterrupted: nil
        }
    }

    public var description: String {
        switch reason {
        case .refused(let errno, let message):
            "\(request): the kernel answered error \(errno) (\(String(cString: strerror(errno))))"
                + (message.map { ": \($0)" } ?? "")
        case .systemCall(let error):
            "\(request): \(error.call) failed: \(error)"
        case .noAnswer(let timeout):
            "\(request): no answer from the kernel within \(timeout)"
        case .malformed(let error):
            "\(request): unreadable answer: \(error)"
        case .dumpInterrupted(let attempts):
            "\(request): the dump was interrupted by changes (NLM_F_DUMP_INTR) \(attempts) times in a row"
        }
    }
}
