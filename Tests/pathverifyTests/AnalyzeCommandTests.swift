import Foundation
import PathVerifyCore
import PathVerifyTestSupport
import Testing

/// `pathverify analyze` and `pathverify config check` as a user runs them: output and exit status.
@Suite struct AnalyzeCommandTests {
    static func labFiles(misrouted: Bool, intent: Bool, in directory: TemporaryDirectory) throws -> (String, String) {
        let run = LabTraffic.run(misrouted: misrouted)
        let capture = try directory.write(LabCaptures.pcapng(run.a, host: LabTraffic.hostA), to: "a.pcapng")
        let config = try directory.write(LabTraffic.configText(LabTraffic.hostA, intent: intent), to: "a.toml")
        return (capture, config)
    }

    @Test(arguments: [false, true])
    func misroutedCaptureExitsOneWithTheFinding(intent: Bool) throws {
        let directory = try TemporaryDirectory()
        let (capture, config) = try Self.labFiles(misrouted: true, intent: intent, in: directory)
        let text = try CommandRunner.run(["analyze", "--config", config, capture])
        #expect(text.status == 1)
        #expect(text.standardOutput.contains("pathverify analyze: MISMATCH"))
        #expect(text.standardOutput.contains("FINDING kind=egress-mismatch "))
        #expect(text.standardOutput.contains("expected=vmk2(a-vmk2) actual=vmk1(a-vmk1) flow=10.99.0.12:40000->10.99.0.22:9999/udp flows=3 packets=600"))
        #expect(text.standardError.isEmpty)

        let json = try CommandRunner.run(["analyze", "--json", "--config", config, capture])
        #expect(json.status == 1)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(document["verdict"] as? String == "mismatch")
        let findings = try #require(document["findings"] as? [[String: Any]])
        let egress = try #require(findings.first { $0["kind"] as? String == "egress-mismatch" })
        #expect(egress["packets"] as? Int == LabTraffic.servicePackets)
        #expect((egress["expected"] as? [String: Any])?["name"] as? String == "vmk2")
        #expect((egress["actual"] as? [String: Any])?["alias"] as? String == "a-vmk1")
        #expect(egress["intent"] as? String == (intent ? "replication" : nil))
        let interfaces = try #require(document["interfaces"] as? [[String: Any]])
        #expect(interfaces.first { $0["name"] as? String == "vmk1" }?["tx_packets"] as? Int == LabTraffic.servicePackets + 1)
    }

    @Test func fixedCaptureExitsZero() throws {
        let directory = try TemporaryDirectory()
        let (capture, config) = try Self.labFiles(misrouted: false, intent: true, in: directory)
        let outcome = try CommandRunner.run(["analyze", "-c", config, capture])
        #expect(outcome.status == 0, "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("pathverify analyze: OK"))
        #expect(outcome.standardOutput.contains("No findings."))
    }

    @Test func missingFileExits66WithOneLine() throws {
        let outcome = try CommandRunner.run(["analyze", "/nonexistent/capture.pcap"])
        #expect(outcome.status == 66)
        #expect(outcome.standardError == "/nonexistent/capture.pcap: cannot open: No such file or directory\n")
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func fileThatIsNotACaptureExits66() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("GET / HTTP/1.1\r\nHost: example\r\n\r\n", to: "notes.txt")
        let outcome = try CommandRunner.run(["analyze", file])
        #expect(outcome.status == 66)
        #expect(outcome.standardError.contains("not a capture file"))
        #expect(outcome.standardError.split(separator: "\n").count == 1)
    }

    @Test func truncatedFileExits65AfterTheReport() throws {
        let directory = try TemporaryDirectory()
        let bytes = LabCaptures.pcapng(LabTraffic.run(misrouted: false).a, host: LabTraffic.hostA)
        let file = try directory.write(Array(bytes[..<(bytes.count - 7)]), to: "cut.pcapng")
        let outcome = try CommandRunner.run(["analyze", "vmk2=" + file])
        #expect(outcome.status == 65)
        #expect(outcome.standardOutput.contains("pathverify analyze:"))
        #expect(outcome.standardError.contains("truncated at byte"))
        #expect(outcome.standardError.split(separator: "\n").count == 1)
    }

    @Test func configWithATypoExits78() throws {
        let directory = try TemporaryDirectory()
        let (capture, _) = try Self.labFiles(misrouted: true, intent: false, in: directory)
        let config = try directory.write(
            LabTraffic.configText(LabTraffic.hostA, intent: true).replacing("egress = ", with: "egres = "), to: "typo.toml")
        let outcome = try CommandRunner.run(["analyze", "--config", config, capture])
        #expect(outcome.status == 78)
        #expect(outcome.standardError.contains("intent[0].egres: unknown key; did you mean 'egress'?"))
        #expect(outcome.standardError.hasPrefix(config + ":"))
        #expect(outcome.standardOutput.isEmpty)
    }

    @Test func intentNamingAnUnknownInterfaceExits78() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            LabTraffic.configText(LabTraffic.hostA, intent: true).replacing("ingress = \"vmk2\"", with: "ingress = \"vmk9\""),
            to: "unknown.toml")
        let outcome = try CommandRunner.run(["config", "check", config])
        #expect(outcome.status == 78)
        #expect(outcome.standardError.contains("intent[0].ingress: unknown interface 'vmk9'"))
        let good = try directory.write(LabTraffic.configText(LabTraffic.hostA, intent: true), to: "good.toml")
        let checked = try CommandRunner.run(["config", "check", good])
        #expect(checked.status == 0)
        #expect(checked.standardOutput.contains("ok: 2 interfaces, 1 intents, 0 teams"))
    }

    @Test func filterThatDoesNotCompileExits64() throws {
        let directory = try TemporaryDirectory()
        let (capture, _) = try Self.labFiles(misrouted: true, intent: false, in: directory)
        let outcome = try CommandRunner.run(["analyze", "--filter", "udp port", capture])
        #expect(outcome.status == 64)
        #expect(outcome.standardError == "pathverify: filter 'udp port': can't parse filter expression: syntax error\n")
    }

    @Test func helpDocumentsExitCodesAndFindingKinds() throws {
        let outcome = try CommandRunner.run(["--help"])
        #expect(outcome.status == 0)
        for kind in FindingKind.allCases { #expect(outcome.standardOutput.contains(kind.rawValue)) }
        #expect(outcome.standardOutput.contains("78 bad config"))
        let usage = try CommandRunner.run(["analyze"])
        #expect(usage.status == 64)
    }

    /// The README's sample is the lab's host A, misrouted; re-record with RECORD_GOLDEN=1.
    @Test func readmeSampleIsTheLab() throws {
        let root = CommandRunner.repositoryRoot + "/Tests/Samples/"
        let capture = LabCaptures.pcapng(LabTraffic.run(misrouted: true).a, host: LabTraffic.hostA)
        let config = LabTraffic.configText(LabTraffic.hostA, intent: true)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try Data(capture).write(to: URL(fileURLWithPath: root + "lab-a-misrouted.pcapng"))
            try Data(config.utf8).write(to: URL(fileURLWithPath: root + "lab-a.toml"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: root + "lab-a-misrouted.pcapng")) == Data(capture))
        #expect(try String(contentsOfFile: root + "lab-a.toml", encoding: .utf8) == config)
        let outcome = try CommandRunner.run(["analyze", "--config", root + "lab-a.toml", root + "lab-a-misrouted.pcapng"])
        #expect(outcome.status == 1)
    }
}
