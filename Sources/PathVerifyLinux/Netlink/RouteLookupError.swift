import Glibc
import PathVerifyCore

/// A route lookup that cannot be answered because of what was asked: the kernel's answer would
/// describe the question, not the routing.
public struct RouteLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// One address is IPv4 and the other IPv6.
        case familiesDiffer
        /// The source is not an address of any interface in the namespace. The kernel refused the
        /// lookup with `errno`: `ENETUNREACH` for IPv4 (which checks the source before any route),
        /// the same errors as a route would give for IPv6 (which does not check it).
        case sourceNotLocal(errno: Int32)
    }

    public var destination: IPAddress
    public var source: IPAddress
    public var reason: Reason

    public init(destination: IPAddress, source: IPAddress, reason: Reason) {
        self.destination = destination
        self.source = source
        self.reason = reason
    }

    public var description: String {
        let lookup = "route lookup to \(destination) from \(source)"
        switch reason {
        case .familiesDiffer:
            return "\(lookup): the addresses are of different families"
        case .sourceNotLocal(let errno):
            return "\(lookup): \(source) is not an address of any interface here "
                + "(the kernel answered error \(errno), \(String(cString: strerror(errno))))"
        }
    }
}
