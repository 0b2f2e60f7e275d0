import Glibc
import PathVerifyCore

/// The IP addresses of the host's interfaces, from the C library.
public enum InterfaceAddresses {
    /// Each interface's addresses with prefix lengths, IPv4 first, in the kernel's order.
    /// Interfaces without an address are absent.
    ///
    /// The corresponding C functions are `getifaddrs` and `freeifaddrs`.
    public static func current() throws(SystemCallError) -> [String: [IPPrefix]] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw SystemCallError(call: "getifaddrs", errno: errno) }
        defer { freeifaddrs(list) }
        var ipv4: [String: [IPPrefix]] = [:]
        var ipv6: [String: [IPPrefix]] = [:]
        var entry = list
        while let current = entry?.pointee {
            entry = current.ifa_next
            guard let name = current.ifa_name.map({ String(cString: $0) }),
                let address = current.ifa_addr.flatMap(ipAddress)
            else { continue }
            let length = current.ifa_netmask.flatMap(ipAddress).map(prefixLength) ?? address.bitWidth
            let prefix = IPPrefix(address: address, length: length)
            if address.isIPv6 { ipv6[name, default: []].append(prefix) } else { ipv4[name, default: []].append(prefix) }
        }
        return ipv4.merging(ipv6) { $0 + $1 }
    }

    /// The address in a `sockaddr_in` or `sockaddr_in6`; `nil` for other families (AF_PACKET).
    static func ipAddress(_ socketAddress: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                IPAddress(ipv4: UInt32(bigEndian: $0.pointee.sin_addr.s_addr))
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { bytes in
                    var high: UInt64 = 0
                    var low: UInt64 = 0
                    for byte in bytes[0..<8] { high = high << 8 | UInt64(byte) }
                    for byte in bytes[8..<16] { low = low << 8 | UInt64(byte) }
                    return IPAddress(ipv6High: high, low: low)
                }
            }
        default:
            return nil
        }
    }

    /// The number of leading one bits of a netmask: its prefix length.
    static func prefixLength(_ mask: IPAddress) -> Int {
        guard mask.isIPv6 else { return (~mask.ipv4Value).leadingZeroBitCount }
        let high = (~mask.high).leadingZeroBitCount
        return high < 64 ? high : 64 + (~mask.low).leadingZeroBitCount
    }
}
