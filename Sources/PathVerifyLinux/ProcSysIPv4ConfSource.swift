import Glibc
import PathVerifyCore

/// Reads `net.ipv4.conf.{all,default,NAME}.*` from `/proc/sys/net/ipv4/conf`.
///
/// It shows the network namespace of the process. Under systemd it needs `/proc/sys` visible:
/// the unit does not set `ProcSubset=pid` for that reason (`ProtectKernelTunables` keeps it read-only).
public struct ProcSysIPv4ConfSource: IPv4ConfSource {
    /// The directory holding one directory per scope; a test may point it at fixtures.
    public var root: String

    public init(root: String = "/proc/sys/net/ipv4/conf") {
        self.root = root
    }

    /// An interface without a directory (gone, or without IPv4) is left out.
    /// - Throws: `SysfsReadError` when `all` or `default` cannot be read, or a value is not a number.
    public func read(interfaces: [String]) throws -> IPv4Conf {
        guard let all = try values(of: "all"), let defaults = try values(of: "default") else {
            throw SysfsReadError(
                path: root + "/all", reason: .systemCall(SystemCallError(call: "open", errno: ENOENT)))
        }
        var conf = IPv4Conf(all: all, defaults: defaults)
        for name in interfaces where SysfsFile.isInterfaceName(name) && name != "all" && name != "default" {
            conf.interfaces[name] = try values(of: name)
        }
        return conf
    }

    func values(of scope: String) throws(SysfsReadError) -> IPv4ConfValues? {
        var values = IPv4ConfValues()
        for key in IPv4ConfValues.keys {
            guard let value = try SysfsFile.readInt(root + "/" + scope + "/" + key.name) else { return nil }
            values[keyPath: key.path] = value
        }
        return values
    }
}
