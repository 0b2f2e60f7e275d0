import Foundation
import PathVerifyTestSupport
import Testing

/// `pathverify run`'s refusals, each one line on stderr with its exit status, before it
/// captures anything; the lab tests (`RunDaemonTests`) cover it running.
@Suite struct RunCommandTests {
    @Test(arguments: [
        (["--window", "ten"], "--window takes a time"),
        (["--window", "0.01s"], "--window must be at least 0.1s"),
        (["--clear-after", "0"], "--clear-after takes a time"),
        (["--syslog-facility", "local9"], "--syslog-facility takes one of daemon, user, local0"),
        (["--log", "file"], "--log"),
        (["--raise-after", "0"], "--raise-after must be at least 1"),
    ])
    func badUsageExits64(arguments: [String], message: String) throws {
        let outcome = try CommandRunner.run(["run"] + arguments)
        #expect(outcome.status == 64, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func aBadConfigAtStartExits78NamingTheLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("[[intent]]\nname = \"x\"\negres = \"vmk2\"\n", to: "bad.toml")
        let outcome = try CommandRunner.run(["run", "--config", path])
        #expect(outcome.status == 78)
        #expect(outcome.standardError.contains("bad.toml:3: intent[0].egres: unknown key"), "\(outcome.standardError)")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to make a network namespace with unshare -n"))
    func aHostWithNothingToWatchExits66() throws {
        // A fresh network namespace holds only lo, which is never watched by default.
        let outcome = try CommandRunner.run(["unshare", "-n", CommandRunner.binary, "run", "--log", "stdout"], program: "/usr/bin/env")
        #expect(outcome.status == 66, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("no interface is up with an address"))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to drop to an unprivileged user with setpriv"))
    func withoutTheRightToCaptureItExits66BeforeReady() throws {
        // As nobody, with no capabilities: systemd must see a failed start, not a ready daemon that
        // sees nothing. A copy in a directory anyone may enter: the checkout's may be private.
        let directory = try TemporaryDirectory()
        let binary = directory.path + "/pathverify"
        try FileManager.default.copyItem(atPath: CommandRunner.binary, toPath: binary)
        chmod(directory.path, 0o755)
        let outcome = try CommandRunner.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary, "run", "-i", "lo", "--log", "stdout"],
            program: "/usr/bin/env")
        #expect(outcome.status == 66, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("capturing needs root or CAP_NET_RAW"), "\(outcome.standardError)")
        #expect(!outcome.standardOutput.contains("STARTED"))
    }

    /// The trailing filter expression must not swallow `--help` (it did, as a filter that does not compile).
    @Test(arguments: ["capture", "run"])
    func helpIsHelpNotAFilter(command: String) throws {
        let outcome = try CommandRunner.run([command, "--help"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.hasPrefix("OVERVIEW: "), "\(outcome.standardOutput)")
    }
}
