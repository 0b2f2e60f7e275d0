import Foundation
import PathVerifyTestSupport
import Testing

/// A host with one interface and ordinary traffic: `capture` with its defaults finds nothing.
@Suite(.enabled(if: NamespaceLab.availability.isAvailable, "\(NamespaceLab.availability)"))
struct SingleHomedCaptureTests {
    /// Runs a shell script; throws with its output if it fails.
    static func sh(_ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SetupError(description: "\(script)\n\(text)") }
    }

    struct SetupError: Error, CustomStringConvertible { var description: String }

    @Test func ordinaryTrafficOnOneInterfaceGivesNoFindings() throws {
        let tag = "pvsh\(getpid())"
        let host = "\(tag)-h"
        let peer = "\(tag)-p"
        defer { try? Self.sh("ip netns del \(host) 2>/dev/null; ip netns del \(peer) 2>/dev/null; true") }
        try Self.sh(
            """
            set -e
            ip netns add \(host); ip netns add \(peer)
            ip link add eth0 netns \(host) type veth peer name eth0 netns \(peer)
            ip -n \(host) addr add 10.97.0.1/24 dev eth0; ip -n \(peer) addr add 10.97.0.2/24 dev eth0
            for ns in \(host) \(peer); do ip -n $ns link set lo up; ip -n $ns link set eth0 up; done
            """)
        let directory = try TemporaryDirectory()
        let report = directory.path + "/report.json"
        // Default interface selection (eth0: up, with an address), three seconds.
        let capture = Process()
        capture.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        capture.arguments = ["netns", "exec", host, CommandRunner.binary, "capture", "-d", "3", "--json"]
        capture.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.write("", to: "report.json")))
        capture.standardError = FileHandle.nullDevice
        try capture.run()
        usleep(1_000_000)
        // UDP to a closed port (the peer answers with ICMP port unreachable) and TCP to a closed port (RST).
        try Self.sh(
            """
            ip netns exec \(host) bash -c 'for i in $(seq 200); do echo x > /dev/udp/10.97.0.2/9; done
              for i in $(seq 20); do (echo > /dev/tcp/10.97.0.2/7) 2>/dev/null; done; true'
            """)
        capture.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(capture.terminationStatus == 0)
        #expect(json["verdict"] as? String == "ok")
        #expect((json["findings"] as? [Any])?.isEmpty == true, "\(json["findings"] ?? "")")
        let interfaces = json["interfaces"] as? [[String: Any]] ?? []
        #expect(interfaces.compactMap { $0["name"] as? String } == ["eth0"])
        #expect(((interfaces.first?["tx_packets"] as? NSNumber)?.intValue ?? 0) >= 220)
    }
}
