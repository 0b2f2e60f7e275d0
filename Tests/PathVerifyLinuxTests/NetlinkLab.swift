import Foundation
import Glibc
import PathVerifyCore
import PathVerifyLinux
import PathVerifyTestSupport

/// A network namespace for the rtnetlink tests, with everything inside it: veth pairs x1–y1 and
/// x2–y2, 10.98.0.11/24 and fd98::11/64 on x1, 10.98.0.12/24 and fd98::12/64 on x2, a policy
/// table 102 for the .12 source, and a few more routes and rules of the kinds the adapter reads.
///
/// The name carries the process id and a tag; a leftover of the same name (from a run that died)
/// is deleted first. `remove()` (or deinit) deletes the namespace and with it its interfaces.
final class NetlinkLab {
    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    let namespace: String
    private var removed = false

    init(tag: Int) throws {
        namespace = "pvnl-\(getpid())-\(tag)"
        guard geteuid() == 0 else { throw Unavailable(description: "not root (network namespaces need it)") }
        _ = try? VethPair.run(VethPair.ipPath, ["netns", "del", namespace])
        do {
            try VethPair.ip(["netns", "add", namespace])
        } catch {
            throw Unavailable(description: "cannot make a network namespace: \(error)")
        }
        do {
            guard FileManager.default.fileExists(atPath: "/run/netns/\(namespace)") else {
                throw Unavailable(description: "ip netns add made no /run/netns/\(namespace) to enter")
            }
            try build()
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    /// Deletes the namespace; only the first call acts.
    func remove() {
        guard !removed else { return }
        removed = true
        _ = try? VethPair.run(VethPair.ipPath, ["netns", "del", namespace])
    }

    private func build() throws {
        // No duplicate address detection: addresses are usable at once, so the tables settle sooner.
        try VethPair.ip([
            "netns", "exec", namespace, "sh", "-c",
            "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad",
        ])
        let commands: [[String]] = [
            ["link", "set", "lo", "up"],
            ["link", "add", "x1", "type", "veth", "peer", "name", "y1"],
            ["link", "add", "x2", "type", "veth", "peer", "name", "y2"],
            ["link", "set", "x1", "up"], ["link", "set", "y1", "up"],
            ["link", "set", "x2", "up"], ["link", "set", "y2", "up"],
            ["address", "add", "10.98.0.11/24", "dev", "x1"],
            ["address", "add", "10.98.0.12/24", "dev", "x2"],
            ["-6", "address", "add", "fd98::11/64", "dev", "x1", "nodad"],
            ["-6", "address", "add", "fd98::12/64", "dev", "x2", "nodad"],
            // Source policy routing for .12, the configuration the verifier exists to check.
            ["route", "add", "10.98.0.0/24", "dev", "x2", "src", "10.98.0.12", "table", "102"],
            ["rule", "add", "from", "10.98.0.12", "lookup", "102", "priority", "1002"],
            ["-6", "route", "add", "fd98::/64", "dev", "x2", "src", "fd98::12", "table", "102"],
            ["-6", "rule", "add", "from", "fd98::12", "lookup", "102", "priority", "1002"],
            // A gateway with a metric, a multipath route, and the three kinds that discard.
            ["route", "add", "203.0.113.0/24", "via", "10.98.0.1", "dev", "x1", "metric", "50"],
            [
                "route", "add", "198.51.100.0/24", "nexthop", "via", "10.98.0.1", "dev", "x1", "nexthop", "via",
                "10.98.0.2", "dev", "x2",
            ],
            ["route", "add", "blackhole", "198.51.101.0/24"],
            ["route", "add", "unreachable", "198.51.102.0/24"],
            ["route", "add", "prohibit", "198.51.103.0/24"],
            ["-6", "route", "add", "2001:db8:1::/48", "via", "fd98::1", "dev", "x1", "metric", "10"],
            // Rules with every selector the adapter reads. Each names a destination nothing here
            // sends to (198.18.0.0/15), so they leave the lookups below alone.
            [
                "rule", "add", "not", "from", "10.1.0.0/16", "to", "10.2.0.0/16", "fwmark", "0x10/0xff", "iif", "x1",
                "oif", "x2", "lookup", "200", "priority", "2000",
            ],
            [
                "rule", "add", "to", "198.18.1.0/24", "tos", "0x10", "uidrange", "1000-2000", "ipproto", "tcp",
                "sport", "1000-2000", "dport", "443", "goto", "2003", "priority", "2001",
            ],
            ["rule", "add", "to", "198.18.2.0/24", "blackhole", "priority", "2002"],
            ["rule", "add", "to", "198.18.3.0/24", "nop", "priority", "2003"],
            ["rule", "add", "to", "198.18.4.0/24", "unreachable", "priority", "2004"],
            ["rule", "add", "to", "198.18.5.0/24", "prohibit", "priority", "2005"],
            ["rule", "add", "to", "198.18.6.0/24", "tun_id", "77", "lookup", "301", "priority", "2006"],
            [
                "rule", "add", "to", "198.18.7.0/24", "fwmark", "7", "lookup", "300", "suppress_ifgroup", "5",
                "priority", "2007",
            ],
            ["rule", "add", "lookup", "main", "suppress_prefixlength", "0", "priority", "2008"],
            [
                "-6", "rule", "add", "from", "fd00::/8", "to", "2001:db8::/32", "ipproto", "udp", "dport", "53-54",
                "lookup", "310", "priority", "3010",
            ],
        ]
        for command in commands { try ip(command) }
    }

    /// Runs `ip -n NAMESPACE arguments…` and returns what it printed.
    @discardableResult
    func ip(_ arguments: [String]) throws -> String {
        try Self.ip(namespace: namespace, arguments)
    }

    @discardableResult
    static func ip(namespace: String, _ arguments: [String]) throws -> String {
        try VethPair.run(VethPair.ipPath, ["-n", namespace] + arguments)
    }

    /// `ip -n NAMESPACE -j arguments…` as JSON objects; `nil` when ip fails (`route get` of an
    /// unreachable destination).
    func json(_ arguments: [String]) throws -> [[String: Any]]? {
        let outcome = try ProcessRun.run(VethPair.ipPath, ["-n", namespace, "-j"] + arguments)
        guard outcome.status == 0 else { return nil }
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8))
        guard let objects = parsed as? [[String: Any]] else {
            throw VethPair.CommandFailed(
                description: "ip -j \(arguments.joined(separator: " ")): not a list of objects")
        }
        return objects
    }

    /// Runs `body` on a thread of its own that has entered the namespace, and returns its result.
    ///
    /// `setns` changes the namespace of the calling thread only, so the test's threads stay
    /// where they are; sockets made in `body` belong to the namespace for their whole life.
    func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) throws -> Value {
        let path = "/run/netns/\(namespace)"
        let outcome = Outcome<Value>()
        let thread = Thread {
            defer { outcome.finished.signal() }
            outcome.set(
                Result { () throws -> Value in
                    try Self.enterNetworkNamespace(path)
                    return try body()
                })
        }
        thread.start()
        outcome.finished.wait()
        return try outcome.get()
    }

    /// The result of `run`'s thread, handed over under a lock.
    private final class Outcome<Value: Sendable>: @unchecked Sendable {
        let finished = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var result: Result<Value, any Error>?

        func set(_ result: Result<Value, any Error>) { lock.withLock { self.result = result } }

        func get() throws -> Value {
            guard let result = lock.withLock({ self.result }) else {
                throw VethPair.CommandFailed(description: "the namespace thread ended without a result")
            }
            return try result.get()
        }
    }

    /// `setns(open(path), CLONE_NEWNET)` for the calling thread. Swift's Glibc module does not
    /// import `setns` (it needs `_GNU_SOURCE`), so it is looked up in the C library.
    static func enterNetworkNamespace(_ path: String) throws {
        typealias SetNamespace = @convention(c) (Int32, Int32) -> Int32
        let cloneNewNetwork: Int32 = 0x4000_0000  // CLONE_NEWNET, linux/sched.h
        guard let symbol = dlsym(nil, "setns") else {
            throw VethPair.CommandFailed(description: "setns is not in the C library")
        }
        let setNamespace = unsafeBitCast(symbol, to: SetNamespace.self)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemCallError(call: "open \(path)", errno: errno) }
        defer { close(descriptor) }
        guard setNamespace(descriptor, cloneNewNetwork) == 0 else {
            throw SystemCallError(call: "setns \(path)", errno: errno)
        }
    }
}
