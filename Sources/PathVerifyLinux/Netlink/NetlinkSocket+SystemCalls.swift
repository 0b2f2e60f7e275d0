import Glibc

extension NetlinkSocket {
    /// A new `AF_NETLINK` `NETLINK_ROUTE` socket, closed on exec.
    ///
    /// The corresponding C function is `socket`.
    static func openSocket(nonBlocking: Bool) throws(SystemCallError) -> Int32 {
        var type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        let descriptor = socket(AF_NETLINK, type, Netlink.protocolRoute)
        guard descriptor >= 0 else { throw SystemCallError(call: "socket(AF_NETLINK, NETLINK_ROUTE)", errno: errno) }
        return descriptor
    }

    /// Sets a `SOL_NETLINK` option to an int.
    ///
    /// The corresponding C function is `setsockopt`.
    /// - Parameter name: the option's kernel name, for the error.
    static func setOption(
        _ descriptor: Int32, _ option: Int32, _ name: String, value: Int32 = 1
    ) throws(SystemCallError) {
        var value = value
        guard
            setsockopt(descriptor, Netlink.socketOptionLevel, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0
        else { throw SystemCallError(call: "setsockopt(\(name))", errno: errno) }
    }

    /// Makes receives fail with `EAGAIN` after `timeout` without a datagram.
    ///
    /// The corresponding C function is `setsockopt` with `SO_RCVTIMEO`.
    static func setReceiveTimeout(_ descriptor: Int32, _ timeout: Duration) throws(SystemCallError) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        guard setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0
        else { throw SystemCallError(call: "setsockopt(SO_RCVTIMEO)", errno: errno) }
    }

    /// `struct sockaddr_nl` (linux/netlink.h) of the kernel: family `AF_NETLINK`, port 0, no groups.
    /// `sockaddr_storage` holds it, so that no Swift struct has to match the C layout.
    static func kernelAddress() -> sockaddr_storage {
        var address = sockaddr_storage()
        address.ss_family = sa_family_t(AF_NETLINK)
        return address
    }

    /// `nl_pid` of a `struct sockaddr_nl`: the sending port, 0 for the kernel.
    static func port(of address: sockaddr_storage) -> UInt32 {
        // family u16, pad u16, then nl_pid: offset 4, aligned in sockaddr_storage.
        withUnsafeBytes(of: address) { $0.load(fromByteOffset: 4, as: UInt32.self) }
    }

    /// Sends one request to the kernel.
    ///
    /// The corresponding C function is `sendto`.
    func send(_ bytes: [UInt8]) throws(SystemCallError) {
        var kernel = Self.kernelAddress()
        let length = socklen_t(12)  // sizeof(struct sockaddr_nl)
        let sent = try SystemCallError.retryingOnInterrupt("sendto") {
            bytes.withUnsafeBytes { raw in
                withUnsafePointer(to: &kernel) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(descriptor, raw.baseAddress, raw.count, 0, $0, length)
                    }
                }
            }
        }
        // A datagram goes whole or not at all; a short count would be a kernel bug.
        guard sent == bytes.count else { throw SystemCallError(call: "sendto", errno: EMSGSIZE) }
    }
}

extension NetlinkSocket {
    /// Binds the socket to a port the kernel picks, so that it can receive notifications.
    ///
    /// The corresponding C function is `bind`.
    static func bindToNewPort(_ descriptor: Int32) throws(SystemCallError) {
        // nl_pid 0 asks the kernel for a free port; nl_groups 0, as groups are joined by number.
        var address = kernelAddress()
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(12)) }
        }
        guard result == 0 else { throw SystemCallError(call: "bind(AF_NETLINK)", errno: errno) }
    }
}
