import Foundation
import Glibc
import PathVerifyCore
import PathVerifyTestSupport
import Testing

@testable import PathVerifyLinux

/// The sysfs readers on fixture directories (vanished, malformed and odd entries) and on `lo`.
@Suite struct SysfsSourcesTests {
    /// Writes one interface's directory the way sysfs lays it out.
    static func writeInterface(
        _ name: String, in directory: TemporaryDirectory, files: [String: String], statistics: [String: UInt64] = [:]
    ) throws {
        let path = directory.path + "/" + name
        try FileManager.default.createDirectory(atPath: path + "/statistics", withIntermediateDirectories: true)
        for (file, text) in files { try directory.write(text + "\n", to: name + "/" + file) }
        for (file, value) in statistics { try directory.write("\(value)\n", to: name + "/statistics/" + file) }
    }

    static let statistics: [String: UInt64] = [
        "rx_packets": 11, "tx_packets": 22, "rx_bytes": 3_300, "tx_bytes": 18_446_744_073_709_551_615,
        "rx_dropped": 4, "tx_dropped": 0,
    ]

    static let ethernet = [
        "ifindex": "9", "flags": "0x1003", "operstate": "up", "address": "02:00:5e:00:09:01", "speed": "1000",
    ]

    @Test func factsAndCountersFromFixtureFiles() throws {
        let root = try TemporaryDirectory()
        try Self.writeInterface("eth9", in: root, files: Self.ethernet, statistics: Self.statistics)
        var noSpeed = Self.ethernet
        noSpeed["ifindex"] = "4"
        noSpeed["speed"] = "-1"
        noSpeed["flags"] = "0x1002"
        noSpeed["operstate"] = "lowerlayerdown"
        try Self.writeInterface("eth4", in: root, files: noSpeed)
        let prefix = try #require(IPPrefix("10.99.0.9/24"))
        let source = SysfsHostInterfaceSource(root: root.path, addresses: { ["eth9": [prefix]] })

        let host = try source.interfaces()
        #expect(host.map(\.name) == ["eth4", "eth9"])
        #expect(
            host[1]
                == HostInterface(
                    name: "eth9", ifindex: 9, mac: MACAddress("02:00:5e:00:09:01"), addresses: [prefix],
                    operationalState: .up, isUp: true, isLoopback: false, speedMegabitsPerSecond: 1_000))
        #expect(host[0].speedMegabitsPerSecond == nil && !host[0].isUp && host[0].operationalState == .lowerLayerDown)

        let counters = SysfsCounterSource(root: root.path, monotonicNanoseconds: { 42 })
        #expect(
            try counters.sample("eth9")
                == CounterSample(
                    ifindex: 9, operationalState: .up,
                    counters: InterfaceCounters(
                        rxPackets: 11, txPackets: 22, rxBytes: 3_300, txBytes: .max, rxDropped: 4, txDropped: 0),
                    monotonicNanoseconds: 42))
    }

    @Test func vanishedAndNonInterfaceEntriesAreLeftOut() throws {
        let root = try TemporaryDirectory()
        try Self.writeInterface("eth9", in: root, files: Self.ethernet, statistics: Self.statistics)
        // Listed, then gone before its files were read: only the directory is left.
        try FileManager.default.createDirectory(atPath: root.path + "/eth7", withIntermediateDirectories: false)
        // Gone part-way through a counter sample: ifindex is there, the statistics are not.
        try Self.writeInterface("eth8", in: root, files: Self.ethernet, statistics: ["rx_packets": 1])
        // Present when the bonding driver is loaded: a file, not an interface.
        try root.write("bond0\n", to: "bonding_masters")
        let source = SysfsHostInterfaceSource(root: root.path, addresses: { [:] })

        #expect(try source.interfaces().map(\.name).sorted() == ["eth8", "eth9"])
        #expect(try source.interface(named: "eth7") == nil)
        #expect(try source.interface(named: "bonding_masters") == nil)
        let counters = SysfsCounterSource(root: root.path)
        #expect(try counters.sample("eth7") == nil)
        #expect(try counters.sample("eth8") == nil)
        #expect(try counters.sample("nothing") == nil)
        #expect(try counters.sample("bonding_masters") == nil)
        // A name must not reach outside the root.
        #expect(try counters.sample("../\(URL(fileURLWithPath: root.path).lastPathComponent)/eth9") == nil)
        #expect(try counters.sample("..") == nil)
    }

    @Test func malformedContentNamesTheFile() throws {
        let root = try TemporaryDirectory()
        var statistics = Self.statistics
        statistics["tx_dropped"] = nil
        try Self.writeInterface("eth9", in: root, files: Self.ethernet, statistics: statistics)
        try root.write("-3\n", to: "eth9/statistics/tx_dropped")
        #expect(
            throws: SysfsReadError(path: root.path + "/eth9/statistics/tx_dropped", reason: .unexpectedContent("-3"))
        ) { try SysfsCounterSource(root: root.path).sample("eth9") }

        var flags = Self.ethernet
        flags["flags"] = "4099"
        try Self.writeInterface("eth6", in: root, files: flags)
        let error = #expect(throws: SysfsReadError.self) {
            try SysfsHostInterfaceSource(root: root.path, addresses: { [:] }).interface(named: "eth6")
        }
        #expect(error?.description == root.path + "/eth6/flags: unexpected content '4099'")
    }

    @Test func aMissingRootIsAnErrorWithItsPath() {
        let error = #expect(throws: SysfsReadError.self) {
            try SysfsHostInterfaceSource(root: "/nonexistent/class/net", addresses: { [:] }).interfaces()
        }
        #expect(error?.description == "/nonexistent/class/net: cannot read: No such file or directory")
    }

    @Test func loopbackFactsFromTheKernel() throws {
        let lo = try #require(try SysfsHostInterfaceSource().interface(named: "lo"))
        #expect(lo.ifindex == 1)
        #expect(lo.ifindex == Int(if_nametoindex("lo")))
        #expect(lo.isLoopback && lo.isUp)
        #expect(lo.mac == .zero)
        #expect(lo.addresses.contains(try #require(IPPrefix("127.0.0.1/8"))))
        // lo's driver has no link settings: reading `speed` fails with EINVAL.
        #expect(lo.speedMegabitsPerSecond == nil)
        #expect(try SysfsHostInterfaceSource().interfaces().first?.name == "lo")
        #expect(
            !InterfaceSelection.defaults(from: try SysfsHostInterfaceSource().interfaces()).contains { $0.isLoopback })
    }

    @Test func loopbackCountersGrowWithWhatIsSentTo127001() throws {
        let source = SysfsCounterSource()
        let before = try #require(try source.sample("lo"))
        let sent = 20
        try Self.sendLoopbackDatagrams(sent, payload: 100)
        let after = try #require(try source.sample("lo"))
        #expect(after.ifindex == 1)
        let rates = try #require(CounterInterval(from: before, to: after).rates)
        // Other processes may use lo at the same time, so at least what this test sent.
        #expect(rates.growth.txPackets >= UInt64(sent))
        #expect(rates.growth.rxPackets >= UInt64(sent))
        // lo counts each datagram as 20 + 8 + 100 bytes: it takes the Ethernet header off first.
        #expect(rates.growth.txBytes >= UInt64(sent * 128))
        #expect(rates.txPacketsPerSecond > 0 && rates.rxMegabitsPerSecond > 0)
    }

    /// Sends UDP datagrams to a socket of this test on 127.0.0.1, so no ICMP error comes back.
    static func sendLoopbackDatagrams(_ count: Int, payload: Int) throws {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer {
            close(receiver)
            close(sender)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(receiver, $0, length) == 0 && getsockname(receiver, $0, &length) == 0
            }
        }
        try #require(receiver >= 0 && sender >= 0 && bound, "UDP sockets on 127.0.0.1: errno \(errno)")
        let bytes = [UInt8](repeating: 0x5A, count: payload)
        for _ in 0..<count {
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(sender, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(sent == payload, "sendto: errno \(errno)")
        }
    }

    @Test func addressesOfLoopbackFromGetifaddrs() throws {
        let addresses = try InterfaceAddresses.current()
        #expect(addresses["lo"]?.contains(try #require(IPPrefix("127.0.0.1/8"))) == true)
        #expect(InterfaceAddresses.prefixLength(try #require(IPAddress("255.255.255.0"))) == 24)
        #expect(InterfaceAddresses.prefixLength(try #require(IPAddress("ffff:ffff:ffff:ffff:8000::"))) == 65)
        #expect(InterfaceAddresses.prefixLength(try #require(IPAddress("ffff:ffff:ffff::"))) == 48)
        #expect(InterfaceAddresses.prefixLength(try #require(IPAddress("0.0.0.0"))) == 0)
    }
}
