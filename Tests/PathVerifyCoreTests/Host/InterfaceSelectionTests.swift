import Testing

@testable import PathVerifyCore

@Suite struct InterfaceSelectionTests {
    static func prefix(_ text: String) -> IPPrefix {
        guard let prefix = IPPrefix(text) else { preconditionFailure("bad prefix in test: \(text)") }
        return prefix
    }

    /// A host with one of each kind that the default must tell apart.
    static let host = [
        HostInterface(name: "lo", ifindex: 1, addresses: [prefix("127.0.0.1/8")], isUp: true, isLoopback: true),
        HostInterface(name: "eth0", ifindex: 2, addresses: [prefix("192.0.2.2/24"), prefix("fe80::1/64")], isUp: true),
        // Down: not watched by default.
        HostInterface(name: "eth1", ifindex: 3, addresses: [prefix("10.99.0.11/24")], isUp: false),
        // Up with no carrier: watched, a dead link is what the operator must see.
        HostInterface(
            name: "eth2", ifindex: 4, addresses: [prefix("10.99.0.12/24")], operationalState: .down, isUp: true),
        // Only the link-local address the kernel gives every interface: a bond slave, say.
        HostInterface(name: "eth3", ifindex: 5, addresses: [prefix("fe80::3/64")], isUp: true),
        HostInterface(name: "eth4", ifindex: 6, isUp: true),
        HostInterface(name: "eth5", ifindex: 7, addresses: [prefix("2001:db8::5/64")], isUp: true),
    ]

    static let config = Config(interfaces: [
        InterfaceConfig(name: "eth1", alias: "vmk1", role: "vMotion-1"),
        InterfaceConfig(name: "eth2", alias: "vmk2", role: "vMotion-2"),
        InterfaceConfig(name: "eth9", alias: "vmk9"),
    ])

    @Test func byDefaultEveryUpInterfaceWithAnAddressButLoopback() throws {
        #expect(InterfaceSelection.defaults(from: Self.host).map(\.name) == ["eth0", "eth2", "eth5"])
        #expect(try InterfaceSelection.resolve([], host: Self.host).map(\.name) == ["eth0", "eth2", "eth5"])
    }

    @Test func namedOnesInTheirOrderWithCommaListsAliasesAndRepeats() throws {
        let chosen = try InterfaceSelection.resolve(
            ["eth2,lo", "vmk1", " eth0 ", "eth2", "vmk2"], host: Self.host, config: Self.config)
        #expect(chosen.map(\.name) == ["eth2", "lo", "eth1", "eth0"])
        #expect(chosen.map(\.ifindex) == [4, 1, 3, 2])
    }

    @Test func anUnknownNameSaysWhatTheHostHasAndTheLikelyName() {
        #expect(throws: InterfaceSelectionError.unknown("eht0", suggestion: "eth0", available: Self.host.map(\.name))) {
            try InterfaceSelection.resolve(["eth0", "eht0"], host: Self.host, config: Self.config)
        }
        let error = InterfaceSelectionError.unknown("eht0", suggestion: "eth0", available: ["lo", "eth0"])
        #expect(error.description == "unknown interface 'eht0' (did you mean 'eth0'?); this host has: lo, eth0")
    }

    @Test func anAliasOfAnInterfaceTheHostLacksIsUnknown() {
        #expect(throws: InterfaceSelectionError.self) {
            try InterfaceSelection.resolve(["vmk9"], host: Self.host, config: Self.config)
        }
    }

    @Test func noDefaultOnAHostWithOnlyLoopback() {
        let host = [Self.host[0], Self.host[2]]
        #expect(throws: InterfaceSelectionError.noDefault(available: ["lo", "eth1"])) {
            try InterfaceSelection.resolve([], host: host)
        }
        #expect(InterfaceSelectionError.noDefault(available: []).description.contains("name the ones to watch with -i"))
    }
}
