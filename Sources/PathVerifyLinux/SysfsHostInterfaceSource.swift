import Glibc
import PathVerifyCore

/// Reads the host's interfaces from `/sys/class/net` and their addresses with `getifaddrs`.
///
/// Both see the network namespace the process runs in (sysfs: the one it was mounted in).
public struct SysfsHostInterfaceSource: HostInterfaceSource {
    /// The directory holding one directory per interface; a test may point it at fixtures.
    public var root: String
    /// Each interface's addresses; a test may give its own.
    public var addresses: @Sendable () throws -> [String: [IPPrefix]]

    public init(
        root: String = "/sys/class/net",
        addresses: @escaping @Sendable () throws -> [String: [IPPrefix]] = InterfaceAddresses.current
    ) {
        self.root = root
        self.addresses = addresses
    }

    /// `IFF_UP` and `IFF_LOOPBACK` from linux/if.h, as the `flags` file shows them.
    static let flagUp: UInt32 = 0x1
    static let flagLoopback: UInt32 = 0x8

    public func interfaces() throws -> [HostInterface] {
        let names = try Self.entries(of: root)
        let addresses = try self.addresses()
        return try names.compactMap { try read($0, addresses: addresses[$0] ?? []) }.sorted { $0.ifindex < $1.ifindex }
    }

    public func interface(named name: String) throws -> HostInterface? {
        guard SysfsFile.isInterfaceName(name) else { return nil }
        return try read(name, addresses: try addresses()[name] ?? [])
    }

    /// One interface's facts, or `nil` if it vanished (or is not an interface) while being read.
    func read(_ name: String, addresses: [IPPrefix]) throws(SysfsReadError) -> HostInterface? {
        let directory = root + "/" + name
        guard let ifindex = try SysfsFile.readInt(directory + "/ifindex"),
            let flagsText = try SysfsFile.read(directory + "/flags"),
            let state = try SysfsFile.read(directory + "/operstate"),
            let address = try SysfsFile.read(directory + "/address")
        else { return nil }
        guard flagsText.hasPrefix("0x"), let flags = UInt32(flagsText.dropFirst(2), radix: 16) else {
            throw SysfsReadError(path: directory + "/flags", reason: .unexpectedContent(flagsText))
        }
        // EINVAL: no carrier, or a driver without ethtool link settings (lo); -1: "unknown".
        let speed = try SysfsFile.read(directory + "/speed", absent: [EINVAL, EOPNOTSUPP]).flatMap { Int($0) }
        return HostInterface(
            name: name, ifindex: ifindex, mac: MACAddress(address), addresses: addresses,
            operationalState: OperationalState(kernelName: state), isUp: flags & Self.flagUp != 0,
            isLoopback: flags & Self.flagLoopback != 0, speedMegabitsPerSecond: speed.flatMap { $0 >= 0 ? $0 : nil })
    }

    /// The names in a directory, without `.` and `..`.
    ///
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    static func entries(of directory: String) throws(SysfsReadError) -> [String] {
        guard let stream = opendir(directory) else {
            throw SysfsReadError(path: directory, reason: .systemCall(SystemCallError(call: "opendir", errno: errno)))
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
