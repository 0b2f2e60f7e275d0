import Foundation
import Synchronization

/// The team lab of `Tests/Lab/team-lab.sh`: a host whose `vmk` (10.98.0.11) rides on a team of two
/// veth uplinks, `up1` and `up2`, steered with tc, and a peer with 10.98.0.21–.24 behind one bridge.
///
/// Bonding is not available where the tests run, so the team is tc: frames of `vmk` reach the
/// virtual-switch port `vsw`, whose ingress filters redirect them to an uplink's egress, one filter
/// per steered destination and a default; whatever comes back on an uplink is redirected to `vmk`.
/// A capture on an uplink in the host sees the team's frames as outgoing (with `vmk`'s source MAC)
/// and the peer's as incoming. There is no ARP (static neighbours) and no IPv6, so the uplinks carry
/// only what a test sends.
///
/// Each lab gets its own name prefix, so labs of parallel test processes do not meet. `close()` (or
/// deinit) removes the lab. Tests that make one check ``availability`` first and skip with its reason.
///
/// ```swift
/// let lab = try TeamLab()
/// defer { lab.close() }
/// try lab.steer(destination: "10.98.0.22", uplink: .up2)
/// let capture = try lab.spawn(namespace: .h, [binary, "capture", "-i", "up1,up2"], timeLimit: .seconds(30))
/// let (sent, received) = try lab.send(to: "10.98.0.22", count: 200, sourcePort: 40022)
/// capture.signal(SIGINT)
/// let outcome = capture.wait(timeout: .seconds(10))
/// ```
public final class TeamLab {
    /// A namespace of the lab.
    public enum Namespace: String, Sendable, CaseIterable {
        /// The host: `vmk`, the switch port `vsw`, and the uplinks `up1`, `up2`.
        case h
        /// The peer: `eth0` with every address of ``peerAddresses``.
        case p
        /// The physical switch: bridge `br0` with the uplinks' and the peer's veth peers.
        case sw
    }

    /// An uplink of the team, a veth in the host whose peer is a port of the switch.
    public enum Uplink: String, Sendable, CaseIterable {
        case up1, up2

        /// The uplink's own MAC; the team's frames keep `vmk`'s as their source.
        public var mac: String {
            switch self {
            case .up1: "02:00:00:00:0e:01"
            case .up2: "02:00:00:00:0e:02"
            }
        }
    }

    public typealias Counters = NamespaceLab.Counters
    public typealias Outcome = NamespaceLab.Outcome
    public typealias Failure = NamespaceLab.Failure
    /// A started command, with its output in files and no signal blocked: the namespace lab's.
    public typealias BackgroundCommand = NamespaceLab.BackgroundCommand

    /// `vmk`'s address, the source of everything ``send(to:count:rate:sourcePort:)`` sends.
    public static let hostAddress = "10.98.0.11"
    public static let hostMAC = "02:00:00:00:0c:01"
    /// The peer's addresses, all on its `eth0`.
    public static let peerAddresses = ["10.98.0.21", "10.98.0.22", "10.98.0.23", "10.98.0.24"]
    public static let peerMAC = "02:00:00:00:0d:01"
    /// The destination port of the lab's traffic.
    public static let port: UInt16 = 9999

    /// `Tests/Lab/team-lab.sh`, found from this file's place in the checkout.
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lab/team-lab.sh").path

    /// Whether team labs can be made here: root, the tools, namespaces, and tc's u32 filter with the
    /// mirred action. Probed once.
    public static let availability: Availability = NamespaceLab.probe(
        "the team lab", script: script, environment: ["PVTEAM_PREFIX": "ptq" + String(getpid(), radix: 36)])

    /// Prefix of every namespace of this lab: `PREFIX-h`, `PREFIX-p`, `PREFIX-sw`.
    public let prefix: String
    private let scratch: TemporaryDirectory
    private var isClosed = false

    private static let labsMade = Atomic<Int>(0)

    /// Builds a lab (`team-lab.sh up`) whose default uplink is `up1`. On failure, the script has
    /// removed what it made.
    public init() throws {
        let serial = Self.labsMade.add(1, ordering: .relaxed).newValue
        // "pt", not the namespace lab's "pv": the two labs' switch namespaces must never share a name.
        // Base 36 keeps the prefix within team-lab.sh's 10 characters for any pid (at most 5 digits)
        // and the first 1295 labs of a process.
        prefix = "pt" + String(getpid(), radix: 36) + "x" + String(serial, radix: 36)
        scratch = try TemporaryDirectory()
        try lab(["up"], timeLimit: .seconds(30))
    }

    deinit { close() }

    /// Removes the lab (`team-lab.sh down`) and stops anything left running in it. Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = try? lab(["down"], timeLimit: .seconds(30))
    }

    /// The namespace's name, for `ip netns exec` or `ip -n`.
    public func namespace(of namespace: Namespace) -> String { "\(prefix)-\(namespace.rawValue)" }

    /// Runs `command` inside `namespace` and waits for it; a command still running after `timeLimit`
    /// is stopped (status 124).
    public func run(namespace: Namespace, _ command: [String], timeLimit: Duration = .seconds(30)) throws -> Outcome {
        try spawn(namespace: namespace, command, timeLimit: timeLimit).wait(timeout: timeLimit + .seconds(5))
    }

    /// Starts `command` inside `namespace` and returns at once. Its output goes to files, so it can
    /// print any amount without blocking. `timeout(1)` stops it after `timeLimit` and relays the
    /// signals sent with ``NamespaceLab/BackgroundCommand/signal(_:)`` to it.
    public func spawn(
        namespace: Namespace, _ command: [String], timeLimit: Duration = .seconds(60)
    ) throws -> BackgroundCommand {
        let seconds = max(1, timeLimit.components.seconds)
        return try start(["exec", namespace.rawValue, "timeout", "-k", "2", String(seconds)] + command)
    }

    /// Sends the host's frames to `destination` (an IPv4 address) out of `uplink`, adding or
    /// replacing that destination's filter in place, so no frame falls to the default meanwhile.
    public func steer(destination: String, uplink: Uplink) throws {
        try lab(["steer", destination, uplink.rawValue], timeLimit: .seconds(10))
    }

    /// Sends every frame that no destination's filter takes out of `uplink` (`up1` after init).
    public func steerDefault(uplink: Uplink) throws {
        try lab(["steer", "default", uplink.rawValue], timeLimit: .seconds(10))
    }

    /// Removes `destination`'s filter, so its frames follow the default; nothing to do if it has none.
    public func unsteer(destination: String) throws {
        try lab(["unsteer", destination], timeLimit: .seconds(10))
    }

    /// Sets `uplink` up or down in the host (`ip link set upN up|down`). Frames steered to an uplink
    /// that is down are dropped by tc (mirred counts them as overlimits), and its counters stay still.
    public func setLink(_ uplink: Uplink, up: Bool) throws {
        try lab(["link", uplink.rawValue, up ? "up" : "down"], timeLimit: .seconds(10))
    }

    /// Sends `count` UDP datagrams of 100 bytes from ``hostAddress`` to `destination` port 9999, all
    /// from one source port, so the call is one flow; a sink in the peer counts what arrived.
    ///
    /// - Parameters:
    ///   - rate: packets per second.
    ///   - sourcePort: the flow's source port; a random one when `nil`.
    /// - Returns: the datagrams sent, and those the sink received within 2 s of the last one.
    @discardableResult
    public func send(
        to destination: String, count: Int, rate: Int = 2000, sourcePort: UInt16? = nil
    ) throws -> (sent: Int, received: Int) {
        let arguments = ["send", destination, String(count), String(rate)] + (sourcePort.map { [String($0)] } ?? [])
        let outcome = try lab(arguments, timeLimit: .seconds(Int64(count / max(1, rate) + 20)))
        // e.g. "sent=200 received=200 source_port=40022"
        let lines = outcome.standardOutput.split(separator: "\n").map(NamespaceLab.fields)
        let fields = lines.first { $0["sent"] != nil } ?? [:]
        return (Int(fields["sent"] ?? "") ?? 0, Int(fields["received"] ?? "") ?? 0)
    }

    /// Every interface's counters in the host (`vmk`, `vsw`, `up1`, `up2`), by name.
    public func counters() throws -> [String: Counters] {
        NamespaceLab.counters(parsing: try lab(["counters"], timeLimit: .seconds(10)).standardOutput)
    }

    // MARK: Running team-lab.sh

    @discardableResult
    private func lab(_ arguments: [String], timeLimit: Duration) throws -> Outcome {
        try NamespaceLab.runScript(start(arguments), named: "team-lab.sh", arguments, timeLimit: timeLimit)
    }

    private func start(_ arguments: [String]) throws -> BackgroundCommand {
        try BackgroundCommand(
            ["/bin/bash", Self.script] + arguments, environment: ["PVTEAM_PREFIX": prefix], outputIn: scratch.path)
    }
}
