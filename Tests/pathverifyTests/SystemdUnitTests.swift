import Foundation
import PathVerifyTestSupport
import Testing

/// Outside the suite: its `.enabled(if:)` trait cannot refer to the suite's own members.
private let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// `systemd/pathverify.service` as systemd reads it: no warnings, and hardened enough (offline, no systemd as PID 1).
@Suite(.enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed (Debian: package systemd)"))
struct SystemdUnitTests {
    /// The highest `systemd-analyze security` exposure accepted (0 safest, 10 unsafest).
    static let maximumExposure = 2.0

    /// A copy of the unit in `directory` whose commands exist: `verify` fails on a missing executable.
    static func unitCopy(in directory: TemporaryDirectory) throws -> String {
        let path = CommandRunner.repositoryRoot + "/systemd/pathverify.service"
        let unit = try String(contentsOfFile: path, encoding: .utf8)
        let installed = "ExecStart=/usr/local/bin/pathverify "
        try #require(unit.contains("\n" + installed), "the unit should start /usr/local/bin/pathverify")
        var copy = unit.replacingOccurrences(of: installed, with: "ExecStart=\(CommandRunner.binary) ")
        // /bin/kill comes with procps, which slim images leave out.
        if !FileManager.default.isExecutableFile(atPath: "/bin/kill") {
            copy = copy.replacingOccurrences(of: "ExecReload=/bin/kill ", with: "ExecReload=\(CommandRunner.binary) ")
        }
        return try directory.write(copy, to: "pathverify.service")
    }

    static func analyze(_ arguments: [String]) throws -> ProcessOutcome {
        try ProcessRun.run(try #require(systemdAnalyze), arguments)
    }

    @Test func verifyReportsNothing() throws {
        let directory = try TemporaryDirectory()
        let unit = try Self.unitCopy(in: directory)
        let outcome = try Self.analyze(["verify", "--man=no", unit])
        #expect(outcome.status == 0)
        // Unknown keys and bad values are warnings only, with status 0: stderr must be empty too.
        #expect(outcome.standardError.isEmpty, "\(outcome.standardError)")
    }

    @Test func exposureIsAtMostTwo() throws {
        let directory = try TemporaryDirectory()
        let unit = try Self.unitCopy(in: directory)
        let threshold = "--threshold=\(Int(Self.maximumExposure * 10))"
        let outcome = try Self.analyze(["security", "--offline=true", threshold, unit])
        #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
        // "→ Overall exposure level for pathverify.service: 1.2 OK 🙂"
        let line = try #require(
            outcome.standardOutput.split(separator: "\n").first { $0.contains("Overall exposure level") },
            "\(outcome.standardOutput)")
        let figure = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(figure <= Self.maximumExposure, "\(line)")
    }
}
