import Foundation
import PathVerifyCore
import Testing

@testable import PathVerifyLinux

/// Config files written to a temporary directory, loaded through `ConfigLoader.load(path:)`.
@Suite struct ConfigLoaderTests {
    /// A directory of its own for each test, removed at the end.
    final class TemporaryDirectory {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "pathverify-config-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        }

        deinit {
            try? FileManager.default.removeItem(at: url)
        }

        func write(_ text: String, name: String = "pathverify.toml") throws -> String {
            let path = url.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            return path
        }
    }

    /// The rendered errors for `toml`, with the temporary directory left out of the file name.
    func errorLines(_ toml: String) throws -> [String] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(toml)
        do {
            let config = try ConfigLoader.load(path: path)
            Issue.record("expected errors, loaded \(config)")
            return []
        } catch {
            return error.errors.map { $0.description.replacingOccurrences(of: directory.url.path + "/", with: "") }
        }
    }

    static let interfaces = """
        [[interface]]
        name = "eth1"
        alias = "vmk1"
        addresses = ["10.99.0.11/24"]

        [[interface]]
        name = "eth2"
        alias = "vmk2"
        addresses = ["10.99.0.12/24"]


        """

    @Test func goodConfigRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            """
            # lab host A
            [[interface]]
            name = "eth1"                 # kernel name
            alias = "vmk1"
            role = "vMotion-1"
            addresses = ["10.99.0.11/24", "2001:db8::11/64"]
            mac = "02:00:00:00:0a:01"
            ifindex = 2

            [[interface]]
            name = "eth2"
            alias = "vmk2"
            addresses = "10.99.0.12/24"

            [[intent]]
            name = "replication"
            protocol = "udp"
            ports = [9999, "8000-8010"]
            source = ["10.99.0.12"]
            destination = "10.99.0.0/24"
            bpf = "udp port 9999"
            egress = "vmk2"
            ingress = "eth2"

            [[intent]]
            name = "ping"
            protocol = ["icmp", "icmpv6", 132]
            egress = "eth1"
            """)
        let config = try ConfigLoader.load(path: path)
        let expected = Config(
            interfaces: [
                InterfaceConfig(
                    name: "eth1", alias: "vmk1", role: "vMotion-1",
                    addresses: [try #require(IPPrefix("10.99.0.11/24")), try #require(IPPrefix("2001:db8::11/64"))],
                    mac: MACAddress("02:00:00:00:0a:01"), ifindex: 2),
                InterfaceConfig(name: "eth2", alias: "vmk2", addresses: [try #require(IPPrefix("10.99.0.12/24"))]),
            ],
            intents: [
                Intent(
                    name: "replication",
                    selector: IntentSelector(
                        protocols: [17], ports: [9999...9999, 8000...8010],
                        sources: [try #require(IPPrefix("10.99.0.12/32"))],
                        destinations: [try #require(IPPrefix("10.99.0.0/24"))], bpf: "udp port 9999"),
                    expectedEgress: "eth2", expectedIngress: "eth2"),
                Intent(name: "ping", selector: IntentSelector(protocols: [1, 58, 132]), expectedEgress: "eth1"),
            ])
        #expect(config == expected)
    }

    @Test func shippedExampleLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("systemd/pathverify.toml.example").path
        let config = try ConfigLoader.load(path: example)
        #expect(config.interfaces.map(\.name) == ["eth1", "eth2"])
        #expect(config.intents.map(\.name) == ["vmotion-2", "replication"])
        #expect(config.intents.first?.expectedEgress == "eth2")
    }

    @Test func emptyFileIsAnEmptyConfig() throws {
        let directory = try TemporaryDirectory()
        #expect(try ConfigLoader.load(path: directory.write("# nothing yet\n")) == Config())
    }

    @Test func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("absent.toml").path
        #expect(
            throws: ConfigLoadError(errors: [
                ConfigError(file: path, keyPath: .root, message: "cannot read: No such file or directory")
            ])
        ) {
            try ConfigLoader.load(path: path)
        }
    }

    @Test func directoryIsNotAFile() throws {
        let directory = try TemporaryDirectory()
        do {
            _ = try ConfigLoader.load(path: directory.url.path)
            Issue.record("loaded a directory")
        } catch {
            #expect(error.description == "\(directory.url.path): cannot read: Is a directory")
        }
    }

    @Test func tomlSyntaxError() throws {
        let lines = try errorLines(
            """
            [[interface]]
            name = "eth1"
            alias = vmk1
            """)
        // The message is toml++'s, through TOMLKit; the position is the start of the bad value.
        #expect(
            lines == [
                "pathverify.toml:3:9: TOML syntax error: Error while parsing value: could not determine value type"
            ])
    }

    @Test func unknownInterfaceListsTheKnownOnes() throws {
        let lines = try errorLines(
            Self.interfaces + """
                [[intent]]
                name = "replication"
                protocol = "udp"
                egress = "vmk9"
                """)
        #expect(
            lines == ["pathverify.toml:14: intent[0].egress: unknown interface 'vmk9' (known: eth1/vmk1, eth2/vmk2)"])
    }

    @Test func didYouMean() throws {
        let lines = try errorLines(
            Self.interfaces + """
                [[intent]]
                name = "a"
                protocol = "udp"
                egress = "vmk1"

                [[intent]]
                name = "b"
                protocol = "tpc"
                egres = "vmk2"

                [[intents]]
                name = "c"

                [[interface]]
                name = "eth3"
                adresses = ["10.99.1.1/24"]
                """)
        #expect(
            lines == [
                "pathverify.toml:18: intent[1].protocol: unknown protocol 'tpc'; did you mean 'tcp'?",
                "pathverify.toml:19: intent[1].egres: unknown key; did you mean 'egress'?",
                "pathverify.toml:21: intents: unknown table [[intents]]; did you mean [[intent]]?",
                "pathverify.toml:26: interface[2].adresses: unknown key; did you mean 'addresses'?",
            ])
    }

    @Test func unknownKeyWithoutSuggestionListsTheKeys() throws {
        let lines = try errorLines(
            """
            [[interface]]
            name = "eth1"
            speed = 10000

            [route]
            table = 100

            [team]
            name = "bond0"
            """)
        #expect(
            lines == [
                "pathverify.toml:3: interface[0].speed: unknown key (known keys: name, alias, role, addresses, mac, ifindex)",
                "pathverify.toml:5: route: unknown table [route]; pathverify reads [[interface]], [[intent]] and [[team]] tables",
                "pathverify.toml:8: team: found a single [team] table; write each team as [[team]]",
            ])
    }

    @Test func interfaceErrors() throws {
        let lines = try errorLines(
            """
            [[interface]]
            name = "eth1"
            alias = "vmk1"
            addresses = [
                "10.99.0.11",
                "2001:db8::11",
                "10.99.0.300/24",
                "10.99.0.11/33",
            ]
            mac = "02:00:00:00:0a"

            [[interface]]
            name = "eth1"
            alias = "vmk1"
            addresses = ["10.99.0.12/24"]
            ifindex = 0

            [[interface]]
            name = "eth3"
            alias = "eth1"
            addresses = ["10.99.0.12/24"]
            mac = "01:00:5e:00:00:01"

            [[interface]]
            alias = "vmk4"

            [[interface]]
            name = "a-very-long-interface-name"
            """)
        #expect(
            lines == [
                "pathverify.toml:5: interface[0].addresses[0]: '10.99.0.11' has no prefix length; interfaces need one, "
                    + "like '10.99.0.11/24', so pathverify knows which interfaces share a subnet",
                "pathverify.toml:6: interface[0].addresses[1]: '2001:db8::11' has no prefix length; interfaces need one, "
                    + "like '2001:db8::11/64', so pathverify knows which interfaces share a subnet",
                "pathverify.toml:7: interface[0].addresses[2]: '10.99.0.300/24' is not an IP address with prefix length, "
                    + "like '10.99.0.11/24'",
                "pathverify.toml:8: interface[0].addresses[3]: '10.99.0.11/33': prefix length '33' is not a number "
                    + "from 0 to 32 for IPv4",
                "pathverify.toml:10: interface[0].mac: '02:00:00:00:0a' is not a MAC address, like '02:00:00:00:0a:01'",
                "pathverify.toml:13: interface[1].name: 'eth1' is listed twice (also interface[0])",
                "pathverify.toml:14: interface[1].alias: 'vmk1' is already the alias of eth1 (interface[0])",
                "pathverify.toml:16: interface[1].ifindex: 0 is not an ifindex; the kernel numbers interfaces from 1",
                "pathverify.toml:20: interface[2].alias: 'eth1' is the kernel name of eth1 (interface[0]); "
                    + "an alias must not name another interface",
                "pathverify.toml:21: interface[2].addresses[0]: 10.99.0.12 is already an address of eth1 (interface[1]); "
                    + "an address belongs to one interface",
                "pathverify.toml:22: interface[2].mac: 01:00:5e:00:00:01 is a multicast address; "
                    + "an interface's own MAC is unicast",
                "pathverify.toml:24: interface[3].name: missing or empty; give the kernel's name for it, "
                    + "as `ip link` shows it, like 'eth1'",
                "pathverify.toml:28: interface[4].name: 'a-very-long-interface-name' is longer than 15 characters, "
                    + "the kernel's limit for interface names",
            ])
    }

    @Test func intentErrors() throws {
        let lines = try errorLines(
            Self.interfaces + """
                [[intent]]
                name = "replication"
                ports = [9999, "8010-8000", 70000, "http", true]
                egress = "vmk2"

                [[intent]]
                name = "replication"
                protocol = ["icmp", 300]
                ports = 22
                source = "10.99.0.0/24"
                destination = ["2001:db8::/64", "10.99.0.999"]
                ingress = "eth1"

                [[intent]]
                name = "everything"
                egress = "eth1"

                [[intent]]
                name = "unchecked"
                bpf = " "
                """)
        #expect(
            lines == [
                "pathverify.toml:13: intent[0].ports[1]: port range '8010-8000' is reversed; write '8000-8010'",
                "pathverify.toml:13: intent[0].ports[2]: port 70000 is out of range 0-65535",
                "pathverify.toml:13: intent[0].ports[3]: 'http' is not a port or a port range, like '8000-8010'",
                "pathverify.toml:13: intent[0].ports[4]: expected a port like 9999 or a range like '8000-8010', "
                    + "found a boolean",
                "pathverify.toml:17: intent[1].name: 'replication' is already the name of intent[0]",
                "pathverify.toml:18: intent[1].protocol[1]: protocol 300 is out of range 0-255",
                "pathverify.toml:19: intent[1].ports: ports never match icmp; only tcp, udp, sctp and dccp have ports",
                "pathverify.toml:21: intent[1].destination[1]: '10.99.0.999' is not an IP address or prefix, "
                    + "like '10.99.0.12' or '10.99.0.0/24'",
                "pathverify.toml:24: intent[2]: matches all traffic; give at least one of protocol, ports, source, "
                    + "destination, bpf",
                "pathverify.toml:28: intent[3]: has nothing to check; give egress, ingress or both "
                    + "(the interface this traffic should use)",
                "pathverify.toml:30: intent[3].bpf: is empty; leave it out or write a tcpdump filter, like 'udp port 9999'",
            ])
    }

    @Test func selectorsThatCanNeverMatch() throws {
        let lines = try errorLines(
            Self.interfaces + """
                [[intent]]
                name = "ping"
                protocol = "icmp"
                ports = 22
                source = "10.99.0.0/24"
                destination = ["2001:db8::/64"]
                ingress = "eth1"
                """)
        #expect(
            lines == [
                "pathverify.toml:14: intent[0].ports: ports never match icmp; only tcp, udp, sctp and dccp have ports",
                "pathverify.toml:16: intent[0].destination: source is IPv4 and destination is IPv6; "
                    + "this intent can never match",
            ])
    }

    @Test func typeErrors() throws {
        let lines = try errorLines(
            """
            [interface]
            name = "eth1"

            [[intent]]
            name = 7
            source = 10
            destination = [1]
            egress = ["eth1"]
            when = 2024-01-01
            """)
        #expect(
            lines == [
                "pathverify.toml:1: interface: found a single [interface] table; write each interface as [[interface]]",
                "pathverify.toml:5: intent[0].name: expected a string, found an integer",
                "pathverify.toml:6: intent[0].source: expected a list of addresses or prefixes, found an integer",
                "pathverify.toml:7: intent[0].destination[0]: expected a string, found an integer",
                "pathverify.toml:8: intent[0].egress: expected a string, found a list",
                "pathverify.toml:9: intent[0].when: unknown key (known keys: name, protocol, ports, source, "
                    + "destination, bpf, egress, ingress)",
            ])
    }

    @Test func errorsDescriptionHasOneLinePerError() throws {
        do {
            _ = try ConfigLoader.load(text: "[[intent]]\nname = \"x\"\n", file: "a.toml")
            Issue.record("loaded an intent without selector or interfaces")
        } catch {
            #expect(
                error.description == """
                    a.toml:1: intent[0]: matches all traffic; give at least one of protocol, ports, source, destination, bpf
                    a.toml:1: intent[0]: has nothing to check; give egress, ingress or both (the interface this traffic should use)
                    """)
        }
    }
}
