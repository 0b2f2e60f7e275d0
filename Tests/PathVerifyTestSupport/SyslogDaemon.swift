import Foundation

/// A real `rsyslogd` for tests, with its own configuration, socket and files in a temporary directory, run in
/// the foreground as a child; it never reads or writes the host's `/dev/log`, `/run/rsyslogd.pid` or
/// `/var/log`.
///
/// glibc's `syslog()` always sends to `/dev/log`, so a program under test is started with
/// ``devLogPrefix`` in front of its command: a private mount namespace whose `/dev` is a fresh tmpfs with
/// the usual device nodes and `/dev/log` linked to this daemon's socket. Tests check ``availability`` first
/// and skip with its reason.
///
/// ```swift
/// let syslog = try SyslogDaemon()
/// defer { syslog.stop() }
/// _ = try syslog.run(["logger", "-t", "pathverify", "-p", "daemon.warning", "TEST_LINE k=v"])
/// let line = try #require(syslog.waitForLine(containing: "TEST_LINE", timeout: .seconds(5)))
/// #expect(line.priority == "daemon.warning")
/// // In a lab namespace: ["ip", "netns", "exec", NS] + syslog.devLogPrefix + [binary, "run", ...]
/// ```
public final class SyslogDaemon {
    /// One line of the daemon's messages file.
    public struct Line: Sendable, Equatable, CustomStringConvertible {
        /// `daemon`, `local3`, … as rsyslog names them (`%syslogfacility-text%`).
        public var facility: String
        /// `err`, `warning`, `notice`, `info`, … (`%syslogseverity-text%`).
        public var severity: String
        /// The syslog tag without its colon: `pathverify[812]`.
        public var tag: String
        /// The tag's name part: `pathverify`.
        public var programName: String
        /// The tag's `[PID]` part, if it has one (glibc adds it for `LOG_PID`, logger for `-i`).
        public var processID: Int32?
        /// The message after the tag, without the space that separates them.
        public var message: String

        /// `facility.severity`, as in `logger -p`: `daemon.warning`.
        public var priority: String { "\(facility).\(severity)" }

        public var description: String { "\(priority) \(tag): \(message)" }

        /// Parses a line written with ``SyslogDaemon/template``; `nil` if it has no priority word.
        public init?(_ text: Substring) {
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let dot = parts[0].lastIndex(of: ".") else { return nil }
            facility = String(parts[0][..<dot])
            severity = String(parts[0][parts[0].index(after: dot)...])
            var rawTag = parts[1]
            if rawTag.hasSuffix(":") { rawTag = rawTag.dropLast() }
            tag = String(rawTag)
            if let open = rawTag.firstIndex(of: "["), rawTag.hasSuffix("]") {
                programName = String(rawTag[..<open])
                processID = Int32(rawTag[rawTag.index(after: open)..<rawTag.index(before: rawTag.endIndex)])
            } else {
                programName = String(rawTag)
                processID = nil
            }
            message = parts.count == 3 ? String(parts[2]) : ""
        }
    }

    /// A started command: the lab's, with its output in files and no signal blocked.
    public typealias BackgroundCommand = NamespaceLab.BackgroundCommand
    public typealias Outcome = NamespaceLab.Outcome

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// rsyslog's template for the messages file: the priority first, so tests can check it, then the tag and
    /// message as in `/var/log/syslog`: `daemon.warning pathverify[812]: PATH_MISMATCH ...`.
    public static let template =
        "%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\\n"

    public static let rsyslogd = executable(named: "rsyslogd")
    public static let unshare = executable(named: "unshare")

    /// Whether the daemon and the `/dev/log` wrapper can run here: root, `rsyslogd`, `unshare`, and a mount
    /// namespace with a fresh `/dev`. Probed once.
    public static let availability: Availability = probe()

    /// The directory holding everything of this daemon; removed when the daemon is dropped.
    public let workDirectory: String
    /// The daemon's unix datagram socket (imuxsock), which `/dev/log` points at under ``devLogPrefix``.
    public let socketPath: String
    /// Where the daemon writes every message it receives, one ``Line`` each.
    public let messagesPath: String
    public let configurationPath: String
    public let pidFilePath: String
    private let scratch: TemporaryDirectory
    private let process: BackgroundCommand
    private var stopped = false

    /// Writes the configuration, validates it with `rsyslogd -N1`, starts `rsyslogd -n` and waits until its
    /// socket exists.
    ///
    /// - Parameters:
    ///   - startTimeout: how long the daemon may take to create its socket.
    ///   - timeLimit: the daemon is stopped after this long even if the test never calls ``stop()``, so a
    ///     crashed test run leaves no daemon behind.
    public init(startTimeout: Duration = .seconds(10), timeLimit: Duration = .seconds(900)) throws {
        guard let rsyslogd = Self.rsyslogd else { throw Failure(message: "rsyslogd is not installed") }
        scratch = try TemporaryDirectory()
        workDirectory = scratch.path
        socketPath = workDirectory + "/log.sock"
        messagesPath = workDirectory + "/messages.log"
        configurationPath = workDirectory + "/rsyslog.conf"
        pidFilePath = workDirectory + "/rsyslogd.pid"
        // sockaddr_un.sun_path holds 108 bytes with the terminating NUL.
        guard socketPath.utf8.count < 108 else {
            throw Failure(message: "socket path \(socketPath) is too long for a unix socket; set a shorter TMPDIR")
        }
        try FileManager.default.createDirectory(atPath: workDirectory + "/work", withIntermediateDirectories: true)
        try scratch.write(Self.configuration(directory: workDirectory), to: "rsyslog.conf")

        // rsyslogd reports configuration errors but keeps running without the broken part: validate first.
        let check = try BackgroundCommand(
            [rsyslogd, "-N1", "-f", configurationPath], environment: [:], outputIn: workDirectory
        ).wait(timeout: .seconds(30))
        guard check.status == 0, !check.signalled else {
            throw Failure(message: "rsyslogd -N1 rejected \(configurationPath): \(check.standardError)")
        }

        // In the foreground (-n), with its own pid file (-i): never /run/rsyslogd.pid, which a host daemon owns.
        let daemon = [rsyslogd, "-n", "-f", configurationPath, "-i", pidFilePath]
        let seconds = String(max(1, timeLimit.components.seconds))
        process = try BackgroundCommand(
            ["/usr/bin/env", "timeout", "-k", "2", seconds] + daemon, environment: [:], outputIn: workDirectory)

        let deadline = ContinuousClock.now + startTimeout
        while !Self.isSocket(socketPath) {
            guard process.isRunning else {
                let outcome = process.wait(timeout: .seconds(1))
                throw Failure(
                    message: "rsyslogd ended with status \(outcome.status) before creating \(socketPath): "
                        + outcome.standardError)
            }
            guard ContinuousClock.now < deadline else {
                stop()
                throw Failure(message: "rsyslogd did not create \(socketPath) within \(startTimeout)")
            }
            usleep(10_000)
        }
    }

    deinit { stop() }

    /// Stops the daemon (SIGTERM, then SIGKILL if it lingers) and waits for it. Safe to call twice; the
    /// messages file stays readable until the daemon is dropped.
    @discardableResult
    public func stop() -> Outcome {
        if !stopped {
            stopped = true
            process.signal(SIGTERM)
        }
        return process.wait(timeout: .seconds(5))
    }

    /// Every line the daemon has written so far.
    public func lines() -> [Line] {
        let text = (try? String(contentsOfFile: messagesPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap(Line.init)
    }

    /// Waits until a line whose message contains `text` has been written; `nil` if none was within `timeout`.
    public func waitForLine(containing text: String, timeout: Duration) -> Line? {
        waitForLine(timeout: timeout) { $0.message.contains(text) }
    }

    /// Waits until a line matching `predicate` has been written; `nil` if none was within `timeout`.
    public func waitForLine(timeout: Duration, where predicate: (Line) -> Bool) -> Line? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = lines().first(where: predicate) { return line }
            guard ContinuousClock.now < deadline else { return nil }
            usleep(10_000)
        }
    }

    /// The command prefix that runs a program with `/dev/log` pointing at this daemon's socket, without
    /// touching the host: append the program and its arguments. Works inside `ip netns exec NS` too (a unix
    /// socket bound to a path is reached by path, whatever the network namespace).
    public var devLogPrefix: [String] { Self.devLogPrefix(socket: socketPath) }

    /// Runs `command` (a program found on PATH, or a path) with `/dev/log` pointing at this daemon and waits
    /// for it; it is stopped after `timeLimit` (status 124).
    /// - Parameter wrapper: a command prefix to run it under, outside the `/dev/log` wrapper: e.g.
    ///   `["ip", "netns", "exec", NS]` or `["unshare", "-n"]`.
    public func run(_ command: [String], within wrapper: [String] = [], timeLimit: Duration = .seconds(30)) throws
        -> Outcome
    {
        try spawn(command, within: wrapper, timeLimit: timeLimit).wait(timeout: timeLimit + .seconds(5))
    }

    /// Starts `command` with `/dev/log` pointing at this daemon and returns at once; `timeout(1)` stops it
    /// after `timeLimit` and relays the signals sent to it.
    /// - Parameter wrapper: a command prefix to run it under, outside the `/dev/log` wrapper.
    public func spawn(_ command: [String], within wrapper: [String] = [], timeLimit: Duration = .seconds(60)) throws
        -> BackgroundCommand
    {
        let seconds = String(max(1, timeLimit.components.seconds))
        return try BackgroundCommand(
            ["/usr/bin/env", "timeout", "-k", "2", seconds] + wrapper + devLogPrefix + command, environment: [:],
            outputIn: workDirectory)
    }

    /// The command prefix that runs a program in a private mount namespace whose `/dev` is a fresh tmpfs
    /// with `null`, `zero`, `full`, `random`, `urandom`, `tty`, `fd`, `stdin`/`stdout`/`stderr`, `shm`, and
    /// `log` linked to `socket`. Needs root (CAP_SYS_ADMIN and CAP_MKNOD). The host's `/dev` is not
    /// touched: `unshare --propagation private` keeps the mount inside the namespace.
    ///
    /// The socket goes in as the script's `$1`, so any path is safe; the program and its arguments follow.
    public static func devLogPrefix(socket: String) -> [String] {
        let script = [
            "set -e",
            "mount -t tmpfs -o mode=755,size=1m tmpfs /dev",
            "mknod -m 666 /dev/null c 1 3",
            "mknod -m 666 /dev/zero c 1 5",
            "mknod -m 666 /dev/full c 1 7",
            "mknod -m 666 /dev/random c 1 8",
            "mknod -m 666 /dev/urandom c 1 9",
            "mknod -m 666 /dev/tty c 5 0",
            "mkdir -m 1777 /dev/shm",
            "ln -s /proc/self/fd /dev/fd",
            "ln -s /proc/self/fd/0 /dev/stdin",
            "ln -s /proc/self/fd/1 /dev/stdout",
            "ln -s /proc/self/fd/2 /dev/stderr",
            "ln -s \"$1\" /dev/log",
            "shift",
            "exec \"$@\"",
        ].joined(separator: "\n")
        return [unshare ?? "/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script, "sh", socket]
    }

    /// The daemon's configuration: imuxsock on its own socket only (not `/dev/log`), no rate limit, every
    /// message to one file with the priority kept.
    public static func configuration(directory: String) -> String {
        """
        global(workDirectory="\(directory)/work")
        module(load="imuxsock" SysSock.Use="off")
        input(type="imuxsock" Socket="\(directory)/log.sock" CreatePath="on" RateLimit.Interval="0")
        template(name="pathverifyTest" type="string" string="\(template)")
        *.* action(type="omfile" file="\(directory)/messages.log" template="pathverifyTest")

        """
    }

    private static func isSocket(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK
    }

    /// `name` on PATH, or in the sbin directories a non-login root shell may lack.
    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return directories.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }

    private static func probe() -> Availability {
        func unavailable(_ reason: String) -> Availability { Availability("the test syslog daemon", unavailableBecause: reason) }
        guard geteuid() == 0 else {
            return unavailable("a private /dev needs root (euid \(geteuid()))")
        }
        guard rsyslogd != nil else { return unavailable("rsyslogd is not installed (Debian: rsyslog)") }
        guard unshare != nil else { return unavailable("unshare is not installed (Debian: util-linux)") }
        do {
            let scratch = try TemporaryDirectory()
            let socket = scratch.path + "/probe.sock"
            let check = try BackgroundCommand(
                devLogPrefix(socket: socket) + ["/bin/sh", "-c", "test -c /dev/null && test -L /dev/log"],
                environment: [:], outputIn: scratch.path
            ).wait(timeout: .seconds(10))
            guard check.status == 0, !check.signalled else {
                let reason = check.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
                return unavailable(
                    "unshare -m with a fresh /dev failed (\(check.status))"
                        + (reason.isEmpty ? "" : ": \(reason)"))
            }
            return Availability("the test syslog daemon")
        } catch {
            return unavailable("could not run unshare: \(error)")
        }
    }
}
