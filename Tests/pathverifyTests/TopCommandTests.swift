import Foundation
import PathVerifyTestSupport
import Testing

/// `pathverify top` as a user runs it: batch CSV, the screen without a terminal, errors, signals.
@Suite struct TopCommandTests {
    static let rateColumns = 2...7

    static func csvFields(_ line: Substring) -> [String] {
        // top's own fields hold no commas or quotes (kernel names cannot), so a plain split is exact.
        line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    static func time(_ text: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try #require(formatter.date(from: text), "not RFC 3339: \(text)")
    }

    @Test func batchModePrintsAHeaderThenOneRowPerSampleWithNoFirstRates() throws {
        let outcome = try CommandRunner.run(["top", "-b", "-n", "3", "-d", "0.2", "-i", "lo"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(geteuid() != 0 || outcome.standardError.isEmpty, "\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 5 && lines.last == "", "\(outcome.standardOutput)")
        #expect(
            lines[0]
                == "timestamp,lo:STATE,lo:PKTTX/s,lo:MbTX/s,lo:PKTRX/s,lo:MbRX/s,lo:%DRPTX,lo:%DRPRX,lo:VERDICT,lo:TEAM-PNIC")
        let rows = lines[1...3].map(Self.csvFields)
        for row in rows {
            #expect(row.count == 10, "\(row)")
            #expect(row[9].isEmpty, "lo rides on no team")
            #expect(row[1] == "unknown", "lo's operstate")
        }
        // The first sample has nothing to compare with: empty cells, not zeros.
        #expect(rows[0][Self.rateColumns].allSatisfy { $0.isEmpty }, "\(rows[0])")
        #expect(rows[0][8].isEmpty, "no verdict before two samples")
        for row in rows[1...] {
            #expect(row[Self.rateColumns].allSatisfy { Double($0) != nil }, "\(row)")
            // As root, a capture of lo gives a verdict; without the right to capture, none.
            #expect(geteuid() == 0 ? ["ok", "idle"].contains(row[8]) : row[8].isEmpty, "\(row)")
        }
        // Samples follow the delay.
        let times = try rows.map { try Self.time($0[0]) }
        #expect(times[2].timeIntervalSince(times[0]) >= 0.35)
        #expect(times[2].timeIntervalSince(times[0]) < 5)
    }

    @Test func withoutATerminalEachScreenFollowsTheLast() throws {
        let outcome = try CommandRunner.run(["top", "-n", "2", "-d", "0.2", "-i", "lo"])
        #expect(outcome.status == 0)
        let text = outcome.standardOutput
        #expect(!text.contains("\u{1B}"), "no terminal: no escape sequences")
        let screens = text.components(separatedBy: "pathverify top: ").dropFirst()
        try #require(screens.count == 2, "\(text)")
        let header = "INTERFACE  ALIAS  ROLE  STATE    SPEED  PKTTX/s  MbTX/s  PKTRX/s  MbRX/s  %DRPTX  %DRPRX  VERDICT  TEAM-PNIC"
        #expect(screens.allSatisfy { $0.contains(header) })
        let firstRow = try #require(screens.first?.split(separator: "\n").first { $0.hasPrefix("lo ") })
        #expect(firstRow.split(separator: " ").dropFirst(5).prefix(6).allSatisfy { $0 == "-" }, "\(firstRow)")
        #expect(screens.first?.contains("Rates need two samples") == true)
        let secondRow = try #require(screens.last?.split(separator: "\n").first { $0.hasPrefix("lo ") })
        #expect(secondRow.split(separator: " ").dropFirst(5).prefix(6).allSatisfy { Double($0) != nil }, "\(secondRow)")
    }

    @Test func aliasAndRoleComeFromTheConfigAndTheAliasSelects() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "[[interface]]\nname = \"lo\"\nalias = \"loop0\"\nrole = \"local-only\"\n", to: "top.toml")
        let outcome = try CommandRunner.run(["top", "-n", "1", "-i", "loop0", "--config", config])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let row = try #require(outcome.standardOutput.split(separator: "\n").first { $0.hasPrefix("lo ") })
        #expect(row.split(separator: " ").prefix(4) == ["lo", "loop0", "local-only", "unknown"])
    }

    @Test func anUnknownInterfaceExits64WithOneLine() throws {
        let outcome = try CommandRunner.run(["top", "-b", "-n", "1", "-i", "lo,nosuch0"])
        #expect(outcome.status == 64)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.hasPrefix("pathverify: unknown interface 'nosuch0'"))
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
    }

    @Test(arguments: [["-d", "0"], ["-d", "nan"], ["-n", "0"]])
    func badValuesAreUsageErrors(arguments: [String]) throws {
        let outcome = try CommandRunner.run(["top", "-i", "lo"] + arguments)
        #expect(outcome.status == 64)
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func aBadConfigExits78() throws {
        let outcome = try CommandRunner.run(["top", "-n", "1", "-i", "lo", "--config", "/nonexistent/pathverify.toml"])
        #expect(outcome.status == 78)
    }

    @Test func theDefaultIsEveryUpInterfaceWithAnAddressButLoopback() throws {
        let outcome = try CommandRunner.run(["top", "-b", "-n", "1"])
        if outcome.status == 66 {
            // A host with nothing but loopback: the message says what to do.
            #expect(outcome.standardError.contains("name the ones to watch with -i"))
        } else {
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let header = try #require(outcome.standardOutput.split(separator: "\n").first)
            #expect(!header.contains("lo:STATE"))
            #expect(Self.csvFields(header).count > 1)
        }
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalEndsItCleanly(signal: Int32) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["top", "-b", "-d", "30", "-i", "lo"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the header and the first row, then signal in the middle of the 30 s wait.
        var text = ""
        while text.filter({ $0 == "\n" }).count < 2 {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let started = Date()
        kill(process.processIdentifier, signal)
        // Never hang the test run: a process that ignores the signal is killed and fails the test.
        while process.isRunning && Date().timeIntervalSince(started) < 10 { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(text.hasPrefix("timestamp,lo:STATE"))
    }
}
