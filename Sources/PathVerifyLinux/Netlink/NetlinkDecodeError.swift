/// A netlink message or attribute that cannot be read: too short for what it declares, or
/// holding a value its field cannot take.
///
/// The kernel does not send these; meeting one means a bug (here or there) or bytes that are
/// not netlink at all, so the read stops with this error rather than guessing.
public struct NetlinkDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The field needs `needed` bytes; only `available` remain.
        case truncated(needed: Int, available: Int)
        /// A length field shorter than the header it counts.
        case lengthBelowHeader(length: Int, header: Int)
        /// A value the field cannot take, explained.
        case invalid(String)
    }

    /// What was being read, in the kernel's words: `nlmsghdr`, `rtmsg of RTM_NEWROUTE`,
    /// `RTA_GATEWAY of RTM_NEWROUTE`.
    public var field: String
    public var reason: Reason

    public init(field: String, reason: Reason) {
        self.field = field
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .truncated(let needed, let available):
            "netlink: \(field) is short: it needs \(needed) bytes, \(available) remain"
        case .lengthBelowHeader(let length, let header):
            "netlink: \(field) declares length \(length), less than its \(header)-byte header"
        case .invalid(let explanation):
            "netlink: \(field): \(explanation)"
        }
    }
}
