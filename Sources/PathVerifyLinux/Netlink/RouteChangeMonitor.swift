import Glibc

/// Says when the kernel's interfaces, addresses, routes, rules or IPv4 netconf have changed, so
/// that routes and rules are read again only then.
///
/// A non-blocking rtnetlink socket joined to the notification groups of those objects. Poll
/// `fileDescriptor` for input, then call `drain()`. Made in the calling thread's network
/// namespace, it watches that namespace from any thread.
public final class RouteChangeMonitor {
    /// The socket, for `poll`; readable when a notification waits. Owned by the monitor.
    public let fileDescriptor: Int32
    /// Notifications are small; a larger one (a link with many attributes) is read whole
    /// anyway, since an unread or cut datagram counts as a change.
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// The groups joined by default, with their kernel names for errors.
    public static let groups: [(number: UInt32, name: String)] = [
        (RTNetlink.groupLink, "RTNLGRP_LINK"), (RTNetlink.groupIPv4Address, "RTNLGRP_IPV4_IFADDR"),
        (RTNetlink.groupIPv6Address, "RTNLGRP_IPV6_IFADDR"), (RTNetlink.groupIPv4Route, "RTNLGRP_IPV4_ROUTE"),
        (RTNetlink.groupIPv6Route, "RTNLGRP_IPV6_ROUTE"), (RTNetlink.groupIPv4Rule, "RTNLGRP_IPV4_RULE"),
        (RTNetlink.groupIPv6Rule, "RTNLGRP_IPV6_RULE"), (RTNetlink.groupIPv4Netconf, "RTNLGRP_IPV4_NETCONF"),
    ]

    /// The groups of interfaces and their addresses alone.
    public static let interfaceGroups = groups.filter {
        [RTNetlink.groupLink, RTNetlink.groupIPv4Address, RTNetlink.groupIPv6Address].contains($0.number)
    }

    /// A receive buffer of 1 MiB (the default is about 200 KiB) makes overflow during a burst,
    /// such as an interface with many routes going away, rarer; overflow still counts as a change.
    static let receiveBufferSize: Int32 = 1 << 20

    /// Opens the socket and joins the groups (by default all of `groups`).
    /// - Throws: `SystemCallError` of `socket`, `bind` or `setsockopt`, naming the group.
    public init(groups: [(number: UInt32, name: String)] = RouteChangeMonitor.groups) throws(SystemCallError) {
        let descriptor = try NetlinkSocket.openSocket(nonBlocking: true)
        do {
            try NetlinkSocket.bindToNewPort(descriptor)
            var size = Self.receiveBufferSize
            // Best effort: a smaller buffer only overflows sooner, which drain() reports.
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            for group in groups {
                try NetlinkSocket.setOption(
                    descriptor, Netlink.optionAddMembership, "NETLINK_ADD_MEMBERSHIP, \(group.name)",
                    value: Int32(group.number))
            }
        } catch {
            close(descriptor)
            throw error
        }
        fileDescriptor = descriptor
    }

    deinit { close(fileDescriptor) }

    /// Reads every notification waiting, without blocking.
    ///
    /// The corresponding C function is `recv`.
    /// - Returns: whether anything changed: a notification other than of a cached route, an
    ///   overflow (`ENOBUFS`: notifications were lost), a datagram that cannot be read, or a
    ///   receive error (when it cannot tell, reading the state again is the safe answer).
    public func drain() -> Bool {
        var changed = false
        while true {
            let count = buffer.withUnsafeMutableBytes {
                recv(fileDescriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_TRUNC))
            }
            if count < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return changed
                case ENOBUFS: changed = true
                default: return true
                }
                continue
            }
            // MSG_TRUNC makes the count the datagram's size; a larger one was cut.
            guard count <= buffer.count, let messages = try? NetlinkMessage.parseAll(Array(buffer[0..<count])) else {
                changed = true
                continue
            }
            if messages.contains(where: Self.isChange) { changed = true }
        }
    }

    /// Whether a notification reports a change: any of the joined groups' messages except those
    /// of cached routes (PMTU and redirect exceptions), which are not routing decisions.
    static func isChange(_ message: NetlinkMessage) -> Bool {
        switch message.type {
        case .noop, .done, .error, .overrun:
            return false
        case .newRoute, .deleteRoute:
            guard let route = try? RouteMessage(decoding: message) else { return true }
            return !route.isCloned
        default:
            return true
        }
    }
}
