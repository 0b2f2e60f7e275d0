import Foundation
import Glibc
import PathVerifyCore
import PathVerifyTestSupport

/// A veth pair with one end here, in the test's own network namespace (where sysfs and
/// `getifaddrs` can see it), and its peer in a namespace made for the test.
///
/// IPv6 is off on both ends and both neighbour entries are static, so the only packets on the
/// pair are the ones a test sends. `remove()` (or deinit) deletes the namespace, which deletes
/// the pair with it.
final class VethPair {
    /// Why a pair could not be made here, such as no root or no namespaces.
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    let namespace: String
    /// The end in the test's namespace.
    let local: String
    let peer: String
    let localMAC: MACAddress
    let peerMAC: MACAddress
    /// A /29 of 198.18.0.0/15 (RFC 2544's benchmarking block): `.1` is local, `.2` the peer.
    let network: UInt32
    var localAddress: IPAddress { IPAddress(ipv4: network + 1) }
    var peerAddress: IPAddress { IPAddress(ipv4: network + 2) }
    /// No one has this address, but the local end's neighbour table sends it to the peer's MAC.
    /// The peer drops such packets without a word (it does not forward), so sending to it moves
    /// only the local end's transmit counters.
    var silentAddress: IPAddress { IPAddress(ipv4: network + 6) }

    /// A UDP datagram carrying one byte, as a veth counts it: Ethernet 14 + IPv4 20 + UDP 8 + 1.
    static let oneByteDatagramLength: UInt64 = 43

    /// Makes the pair. The names carry the process id and `tag`, so that tests running at the
    /// same time, in this process or another, do not meet.
    init(tag: Int) throws {
        let pid = Int(getpid())
        namespace = "pvtop-\(pid)-\(tag)"
        local = "pvt\(pid)\(tag)a"
        peer = "pvt\(pid)\(tag)b"
        localMAC = MACAddress(rawValue: 0x0200_5E00_0000 | UInt64(tag) << 8 | 1)
        peerMAC = MACAddress(rawValue: 0x0200_5E00_0000 | UInt64(tag) << 8 | 2)
        network = 0xC612_0000 | UInt32(pid % 256) << 8 | UInt32(tag % 32) << 3
        guard geteuid() == 0 else { throw Unavailable(description: "not root (namespaces and veth need it)") }
        do {
            try Self.ip(["netns", "add", namespace])
        } catch {
            throw Unavailable(description: "cannot make a network namespace: \(error)")
        }
        do {
            try build()
        } catch {
            remove()
            throw error
        }
    }

    private func build() throws {
        let prefix = "/29"
        try Self.ip([
            "link", "add", local, "address", "\(localMAC)", "type", "veth", "peer", "name", peer,
            "address", "\(peerMAC)", "netns", namespace,
        ])
        try Self.disableIPv6(local)
        try inNamespace([
            "sh", "-c",
            "echo 1 > /proc/sys/net/ipv6/conf/\(peer)/disable_ipv6 2>/dev/null; "
                + "echo 0 > /proc/sys/net/ipv4/ip_forward",
        ])
        try Self.ip(["address", "add", "\(localAddress)\(prefix)", "dev", local])
        try inNamespace(["ip", "address", "add", "\(peerAddress)\(prefix)", "dev", peer])
        for address in [peerAddress, silentAddress] {
            try Self.ip(["neigh", "replace", "\(address)", "lladdr", "\(peerMAC)", "dev", local, "nud", "permanent"])
        }
        try inNamespace([
            "ip", "neigh", "replace", "\(localAddress)", "lladdr", "\(localMAC)", "dev", peer, "nud", "permanent",
        ])
        try inNamespace(["ip", "link", "set", peer, "up"])
        try Self.ip(["link", "set", local, "up"])
    }

    private var removed = false

    /// Deletes the pair, then the namespace. The pair goes first because deleting a namespace
    /// frees its devices later, from a kernel work queue. Only the first call acts, so that a
    /// pair made again under the same names is not deleted by the old one's deinit.
    func remove() {
        guard !removed else { return }
        removed = true
        _ = try? Self.run(Self.ipPath, ["link", "del", local])
        _ = try? Self.run(Self.ipPath, ["netns", "del", namespace])
    }

    deinit { remove() }

    /// Sends `count` one-byte UDP datagrams to `address` port 9, from the test's namespace or the peer's.
    func sendDatagrams(_ count: Int, to address: IPAddress, fromPeer: Bool = false) throws {
        // bash opens a new UDP socket for each redirection: one datagram each.
        let script = "for i in $(seq 1 \(count)); do printf x > /dev/udp/\(address)/9; done"
        if fromPeer {
            try inNamespace(["bash", "-c", script])
        } else {
            try Self.run("/bin/bash", ["-c", script])
        }
    }

    /// Runs a command in the peer's namespace.
    func inNamespace(_ arguments: [String]) throws {
        try Self.ip(["netns", "exec", namespace] + arguments)
    }

    static func ip(_ arguments: [String]) throws {
        try run(ipPath, arguments)
    }

    /// Turns IPv6 off before the link comes up, so the kernel sends no solicitations on it.
    static func disableIPv6(_ name: String) throws {
        let path = "/proc/sys/net/ipv6/conf/\(name)/disable_ipv6"
        guard FileManager.default.fileExists(atPath: path) else { return }
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: path))
    }

    static let ipPath =
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "/usr/sbin/ip"

    struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outcome = try ProcessRun.run(executable, arguments)
        guard outcome.status == 0 else {
            let message = outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw CommandFailed(description: "\(executable) \(arguments.joined(separator: " ")): \(message)")
        }
        return outcome.standardOutput
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes: for kernel state that
    /// changes asynchronously (operstate goes through the link-watch work queue).
    static func eventually(timeout: Duration = .seconds(5), _ condition: () throws -> Bool) rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }
}
