import Foundation
import Synchronization

/// The namespace lab of `Tests/Lab/lab.sh`: hosts A and B, each with `vmk1` and `vmk2` in
/// 10.99.0.0/24 (the addresses and MACs of ``LabTraffic``), behind one bridge in a switch namespace.
///
/// Each lab gets its own name prefix, so labs of parallel test processes do not meet. `close()` (or
/// deinit) removes the lab. Tests that make one check ``availability`` first and skip with its reason.
///
/// ```swift
/// let lab = try NamespaceLab(profile: .misconfigured)
/// defer { lab.close() }
/// let captures = try [NamespaceLab.Host.a, .b].map {
///     try lab.spawn(host: $0, [binary, "capture", "-i", "vmk1,vmk2"], timeLimit: .seconds(30))
/// }
/// for capture in captures { try #require(capture.waitForOutput(containing: "listening", timeout: .seconds(5))) }
/// let run = try lab.send(scenario: .pinnedToVmk2, proto: .udp)  // counters: run.a["vmk1"], run.b["vmk1"]
/// for capture in captures { capture.signal(SIGINT) }
/// let outcomes = captures.map { $0.wait(timeout: .seconds(10)) }  // status, standardOutput, standardError
/// ```
public final class NamespaceLab {
    /// How the hosts are configured.
    public enum Profile: String, Sendable {
        /// Kernel defaults: one main table (vmk1's route wins), every interface answers ARP for every address.
        case misconfigured
        /// Source policy routing per interface plus `arp_ignore=1` / `arp_announce=2`.
        case fixed
    }

    /// A namespace of the lab: the two hosts and the switch holding the bridge.
    public enum Host: String, Sendable {
        case a, b, sw
    }

    /// Which of A's addresses the sender binds, and so which of B's it sends to.
    public enum Scenario: Int, Sendable {
        /// 10.99.0.11 (A vmk1) to 10.99.0.21 (B vmk1).
        case pinnedToVmk1 = 1
        /// 10.99.0.12 (A vmk2) to 10.99.0.22 (B vmk2): the replication service of the fault.
        case pinnedToVmk2 = 2
    }

    public enum TrafficProtocol: String, Sendable {
        case udp, tcp
    }

    /// Interface counters from `/sys/class/net/*/statistics` in a host's namespace.
    public struct Counters: Sendable, Equatable {
        public var rxPackets: UInt64
        public var rxBytes: UInt64
        public var txPackets: UInt64
        public var txBytes: UInt64

        public init(rxPackets: UInt64 = 0, rxBytes: UInt64 = 0, txPackets: UInt64 = 0, txBytes: UInt64 = 0) {
            self.rxPackets = rxPackets
            self.rxBytes = rxBytes
            self.txPackets = txPackets
            self.txBytes = txBytes
        }

        /// The change from `before` to `after`. Counters only grow while an interface exists, so the
        /// subtraction cannot underflow for two readings of one lab.
        public static func - (after: Counters, before: Counters) -> Counters {
            Counters(
                rxPackets: after.rxPackets - before.rxPackets, rxBytes: after.rxBytes - before.rxBytes,
                txPackets: after.txPackets - before.txPackets, txBytes: after.txBytes - before.txBytes)
        }
    }

    /// What one `send` did, with the kernel's counters as ground truth.
    public struct TrafficRun: Sendable {
        public var scenario: Scenario
        public var proto: TrafficProtocol
        /// Datagrams sent, or writes of 100 bytes made (one segment each).
        public var sentPackets: Int
        public var receivedBytes: Int
        /// UDP only: datagrams per interface of B they arrived on, as `IP_PKTINFO` told the sink.
        public var arrivals: [String: Int]
        /// How each interface's counters changed over the run, by interface name, in A and in B.
        public var a: [String: Counters]
        public var b: [String: Counters]
    }

    /// One answer to an ARP request.
    public struct ARPReply: Sendable, Hashable {
        public var address: String
        public var mac: String
    }

    /// What a finished command printed, and how it ended.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when `signalled`. 124 means the time limit struck.
        public var status: Int32
        public var signalled: Bool
        public var standardOutput: String
        public var standardError: String
    }

    /// A lab command that failed.
    public struct Failure: Error, CustomStringConvertible {
        public var command: [String]
        public var outcome: Outcome

        public var description: String {
            "\(command.joined(separator: " ")) ended with status \(outcome.status): \(outcome.standardError)"
        }
    }

    /// `Tests/Lab/lab.sh`, found from this file's place in the checkout.
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lab/lab.sh").path

    /// Whether labs can be made here: root, the tools, and a working `ip netns add`. Probed once.
    public static let availability: Availability = probe()

    /// Prefix of every namespace of this lab: `PREFIX-a`, `PREFIX-b`, `PREFIX-sw`.
    public let prefix: String
    public let profile: Profile
    private let scratch: TemporaryDirectory
    private var isClosed = false

    private static let labsMade = Atomic<Int>(0)

    /// Builds a lab (`lab.sh up`). On failure, lab.sh has removed what it made.
    public init(profile: Profile) throws {
        let serial = Self.labsMade.add(1, ordering: .relaxed).newValue
        // Base 36 keeps the prefix within lab.sh's 12 characters for any pid.
        prefix = "pv" + String(getpid(), radix: 36) + "x" + String(serial, radix: 36)
        self.profile = profile
        scratch = try TemporaryDirectory()
        try lab(["up", profile.rawValue], timeLimit: .seconds(30))
    }

    deinit { close() }

    /// Removes the lab (`lab.sh down`) and stops anything left running in it. Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = try? lab(["down"], timeLimit: .seconds(30))
    }

    /// The namespace's name, for `ip netns exec` or `ip -n`.
    public func namespace(of host: Host) -> String { "\(prefix)-\(host.rawValue)" }

    /// Runs `command` inside `host`'s namespace and waits for it; a command still running after
    /// `timeLimit` is stopped (status 124).
    public func run(host: Host, _ command: [String], timeLimit: Duration = .seconds(30)) throws -> Outcome {
        try spawn(host: host, command, timeLimit: timeLimit).wait(timeout: timeLimit + .seconds(5))
    }

    /// Starts `command` inside `host`'s namespace and returns at once. Its output goes to files, so it
    /// can print any amount without blocking. `timeout(1)` stops it after `timeLimit` and relays the
    /// signals sent with ``BackgroundCommand/signal(_:)`` to it.
    public func spawn(host: Host, _ command: [String], timeLimit: Duration = .seconds(60)) throws -> BackgroundCommand {
        let seconds = max(1, timeLimit.components.seconds)
        return try start(["exec", host.rawValue, "timeout", "-k", "2", String(seconds)] + command)
    }

    /// Sends `count` packets from A to B (`lab.sh send`) and reads both hosts' counters around it.
    /// Neighbour caches are flushed first, so every run includes the ARP exchange.
    /// - Parameter newFlowEach: UDP only: every packet from a new source port, a flow of its own.
    public func send(
        scenario: Scenario, proto: TrafficProtocol, count: Int = 2000, newFlowEach: Bool = false
    ) throws -> TrafficRun {
        let (aBefore, bBefore) = (try counters(host: .a), try counters(host: .b))
        let outcome = try lab(
            ["send", String(scenario.rawValue), proto.rawValue, String(count)] + (newFlowEach ? ["each"] : []),
            timeLimit: .seconds(Int64(count / 1000 + 20)))
        let (aAfter, bAfter) = (try counters(host: .a), try counters(host: .b))
        let lines = outcome.standardOutput.split(separator: "\n").map(Self.fields)
        let sent = lines.first { $0["sent"] != nil } ?? [:]
        let received = lines.first { $0["received"] != nil } ?? [:]
        var arrivals: [String: Int] = [:]
        for (key, value) in received where key.hasPrefix("in_") {
            arrivals[String(key.dropFirst(3))] = Int(value)
        }
        return TrafficRun(
            scenario: scenario, proto: proto, sentPackets: Int(sent["packets"] ?? "") ?? 0,
            receivedBytes: Int(received["bytes"] ?? "") ?? 0, arrivals: arrivals,
            a: Self.changes(from: aBefore, to: aAfter), b: Self.changes(from: bBefore, to: bAfter))
    }

    /// Deletes `interface` (vmk1 or vmk2) of `host`, with its bridge port.
    public func unlink(host: Host, interface: String) throws {
        _ = try lab(["unlink", host.rawValue, interface], timeLimit: .seconds(10))
    }

    /// Creates `interface` of `host` again as the lab made it: name, MAC, address, profile.
    public func link(host: Host, interface: String) throws {
        _ = try lab(["link", host.rawValue, interface], timeLimit: .seconds(10))
    }

    /// Every interface's counters in `host`, by name (`lo` left out).
    public func counters(host: Host) throws -> [String: Counters] {
        Self.counters(parsing: try lab(["counters", host.rawValue], timeLimit: .seconds(10)).standardOutput)
    }

    /// The interface names of `host` by MAC address, lowercase.
    public func interfaces(host: Host) throws -> [String: String] {
        let outcome = try lab(["counters", host.rawValue], timeLimit: .seconds(10))
        var result: [String: String] = [:]
        for line in outcome.standardOutput.split(separator: "\n") {
            let fields = Self.fields(line)
            if let name = fields["interface"], let mac = fields["mac"] { result[mac.lowercased()] = name }
        }
        return result
    }

    /// Sends one ARP request for `target` out of `host`'s `interface` and returns every answer seen
    /// within 0.3 s: two answers for one address is ARP flux.
    public func arpReplies(host: Host, interface: String, target: String) throws -> [ARPReply] {
        let outcome = try lab(["arp", host.rawValue, interface, target], timeLimit: .seconds(10))
        return outcome.standardOutput.split(separator: "\n").map(Self.fields).compactMap {
            guard let address = $0["ip"], let mac = $0["mac"] else { return nil }
            return ARPReply(address: address, mac: mac)
        }
    }

    // MARK: Running lab.sh

    @discardableResult
    private func lab(_ arguments: [String], timeLimit: Duration) throws -> Outcome {
        try Self.runScript(start(arguments), named: "lab.sh", arguments, timeLimit: timeLimit)
    }

    private func start(_ arguments: [String]) throws -> BackgroundCommand {
        try BackgroundCommand(
            ["/bin/bash", Self.script] + arguments, environment: ["PVLAB_PREFIX": prefix], outputIn: scratch.path)
    }

    private static func probe() -> Availability {
        probe(
            "the namespace lab", script: script, environment: ["PVLAB_PREFIX": "pvprobe" + String(getpid(), radix: 36)])
    }

    /// Whether a lab script can make its lab here: root, the script, and its `check` command, which
    /// prints the reason when it cannot. Shared by the labs of this module (``TeamLab``).
    static func probe(_ subject: String, script: String, environment: [String: String]) -> Availability {
        func unavailable(_ reason: String) -> Availability { Availability(subject, unavailableBecause: reason) }
        let name = URL(fileURLWithPath: script).lastPathComponent
        guard geteuid() == 0 else { return unavailable("network namespaces need root (euid \(geteuid()))") }
        guard FileManager.default.fileExists(atPath: script) else {
            return unavailable("\(script) is missing")
        }
        do {
            let scratch = try TemporaryDirectory()
            let check = try BackgroundCommand(
                ["/bin/bash", script, "check"], environment: environment, outputIn: scratch.path
            ).wait(timeout: .seconds(10))
            guard check.status == 0, !check.signalled else {
                let reason = check.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
                return unavailable(reason.isEmpty ? "\(name) check failed (\(check.status))" : reason)
            }
            return Availability(subject)
        } catch {
            return unavailable("could not run \(name) check: \(error)")
        }
    }

    /// Waits for a started lab script command and throws ``Failure`` unless it exited 0.
    static func runScript(
        _ command: BackgroundCommand, named name: String, _ arguments: [String], timeLimit: Duration
    ) throws -> Outcome {
        let outcome = command.wait(timeout: timeLimit)
        guard outcome.status == 0, !outcome.signalled else {
            throw Failure(command: [name] + arguments, outcome: outcome)
        }
        return outcome
    }

    /// Interface counters from a lab script's `counters` lines (`interface=vmk1 rx_packets=…`), by name.
    static func counters(parsing output: String) -> [String: Counters] {
        var result: [String: Counters] = [:]
        for line in output.split(separator: "\n") {
            let fields = fields(line)
            guard let name = fields["interface"] else { continue }
            func number(_ key: String) -> UInt64 { UInt64(fields[key] ?? "") ?? 0 }
            result[name] = Counters(
                rxPackets: number("rx_packets"), rxBytes: number("rx_bytes"), txPackets: number("tx_packets"),
                txBytes: number("tx_bytes"))
        }
        return result
    }

    /// `key=value` fields of a line; a bare word (`sent`, `received`) maps to itself.
    static func fields(_ line: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for word in line.split(separator: " ") {
            let parts = word.split(separator: "=", maxSplits: 1)
            guard let key = parts.first else { continue }
            result[String(key)] = String(parts.count == 2 ? parts[1] : key)
        }
        return result
    }

    private static func changes(from before: [String: Counters], to after: [String: Counters]) -> [String: Counters] {
        after.reduce(into: [:]) { result, entry in result[entry.key] = entry.value - (before[entry.key] ?? Counters()) }
    }
}

extension NamespaceLab {
    /// A process started by the lab, its output collected in files so that it never blocks on a pipe.
    ///
    /// Started with `posix_spawn` rather than `Process`: a child inherits its spawning thread's signal
    /// mask, and the test runner's worker threads block SIGINT and SIGTERM, which would leave the
    /// command deaf to ``signal(_:)``. Here it starts with no signal blocked or ignored, in its own
    /// process group, so a time limit can stop it with its children.
    public final class BackgroundCommand {
        public let arguments: [String]
        public let processIdentifier: pid_t
        private let outputPath: String
        private let errorPath: String
        private var ended: Outcome?

        private static let started = Atomic<Int>(0)

        init(_ arguments: [String], environment: [String: String], outputIn directory: String) throws {
            self.arguments = arguments
            let serial = Self.started.add(1, ordering: .relaxed).newValue
            outputPath = "\(directory)/\(serial).out"
            errorPath = "\(directory)/\(serial).err"
            processIdentifier = try Self.spawn(
                arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                output: outputPath, error: errorPath)
        }

        /// A command still running when dropped is killed with its process group, so no test leaves one behind.
        deinit {
            if ended == nil {
                kill(-processIdentifier, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(processIdentifier, &status, 0)
            }
        }

        public var isRunning: Bool { reap() == nil }
        /// What the command has printed so far.
        public var standardOutput: String { Self.read(outputPath) }
        public var standardError: String { Self.read(errorPath) }

        /// Waits until the command's standard output or error contains `text`; false if it did not
        /// within `timeout` or the command ended first.
        public func waitForOutput(containing text: String, timeout: Duration) -> Bool {
            let deadline = ContinuousClock.now + timeout
            func printed() -> Bool { standardOutput.contains(text) || standardError.contains(text) }
            while ContinuousClock.now < deadline && isRunning {
                if printed() { return true }
                usleep(10_000)
            }
            return printed()
        }

        /// Sends `signal` (SIGINT by default, which capture tools treat as "stop and report").
        public func signal(_ signal: Int32 = SIGINT) {
            if isRunning { kill(processIdentifier, signal) }
        }

        /// Sends `signal` to the command's direct children, past the `timeout(1)` that runs it:
        /// timeout relays one SIGHUP and swallows later ones, so a reload test signals the
        /// program itself.
        public func signalChildren(_ signal: Int32) {
            let list = (try? String(contentsOfFile: "/proc/\(processIdentifier)/task/\(processIdentifier)/children", encoding: .utf8)) ?? ""
            for child in list.split(separator: " ").compactMap({ pid_t($0) }) { kill(child, signal) }
        }

        /// Waits for the command to end; after `timeout` its process group is sent SIGTERM, and
        /// SIGKILL 2 s later.
        public func wait(timeout: Duration) -> Outcome {
            if let outcome = wait(until: ContinuousClock.now + timeout) { return outcome }
            kill(-processIdentifier, SIGTERM)
            if let outcome = wait(until: ContinuousClock.now + .seconds(2)) { return outcome }
            kill(-processIdentifier, SIGKILL)
            while true {
                if let outcome = reap() { return outcome }
                usleep(5_000)
            }
        }

        private func wait(until deadline: ContinuousClock.Instant) -> Outcome? {
            while ContinuousClock.now < deadline {
                if let outcome = reap() { return outcome }
                usleep(5_000)
            }
            return reap()
        }

        /// The outcome once the process has ended. The corresponding C function is `waitpid` with `WNOHANG`.
        private func reap() -> Outcome? {
            if let ended { return ended }
            var status: Int32 = 0
            let result = waitpid(processIdentifier, &status, WNOHANG)
            guard result == processIdentifier || (result == -1 && errno != EINTR) else { return nil }
            // The wait(2) status layout: low 7 bits the terminating signal, else the exit code above them.
            let signalNumber = status & 0x7f
            let outcome = Outcome(
                status: result == -1 ? -1 : (signalNumber == 0 ? (status >> 8) & 0xff : signalNumber),
                signalled: result != -1 && signalNumber != 0, standardOutput: standardOutput,
                standardError: standardError + (result == -1 ? "\nwaitpid: errno \(errno)" : ""))
            ended = outcome
            return outcome
        }

        /// Starts `arguments` with stdin from /dev/null and stdout/stderr to the files. The corresponding
        /// C function is `posix_spawn`.
        private static func spawn(
            _ arguments: [String], environment: [String: String], output: String, error: String
        ) throws -> pid_t {
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            var allSignals = sigset_t()
            sigfillset(&allSignals)
            posix_spawnattr_setsigdefault(&attributes, &allSignals)
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setflags(
                &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

            let argv = arguments.map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: pid_t = 0
            let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
            guard result == 0 else {
                throw Failure(
                    command: arguments,
                    outcome: Outcome(
                        status: result, signalled: false, standardOutput: "",
                        standardError: "posix_spawn failed: \(String(cString: strerror(result)))"))
            }
            return pid
        }

        private static func read(_ path: String) -> String {
            (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
    }
}
