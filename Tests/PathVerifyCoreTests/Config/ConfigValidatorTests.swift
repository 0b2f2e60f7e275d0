import Testing

@testable import PathVerifyCore

@Suite struct ConfigValidatorTests {
    func prefix(_ text: String) throws -> IPPrefix { try #require(IPPrefix(text)) }

    func messages(_ config: Config) -> [String] {
        ConfigValidator.validate(config).map { "\($0.keyPath): \($0.message)" }
    }

    @Test func aGoodConfigHasNoErrors() throws {
        let config = Config(
            interfaces: [
                InterfaceConfig(name: "eth1", alias: "vmk1", addresses: [try prefix("10.99.0.11/24")], ifindex: 2),
                InterfaceConfig(name: "eth2", alias: "eth2", addresses: [try prefix("10.99.0.12/24")], ifindex: 3),
            ],
            intents: [
                Intent(
                    name: "a", selector: IntentSelector(protocols: [17, 1], ports: [9999...9999]),
                    expectedEgress: "eth2")
            ])
        #expect(ConfigValidator.validate(config).isEmpty)
    }

    @Test func referencesAndDuplicates() throws {
        let config = Config(
            interfaces: [
                InterfaceConfig(name: "eth1", alias: "vmk1", addresses: [try prefix("10.99.0.11/24")], ifindex: 2),
                InterfaceConfig(name: "eth2", addresses: [try prefix("10.99.0.11/24")], ifindex: 2),
                InterfaceConfig(name: "eth2", alias: "vmk1"),
                InterfaceConfig(name: "bad/name"),
            ],
            intents: [
                Intent(name: "a", selector: IntentSelector(protocols: [6]), expectedIngress: "vmk1"),
                Intent(name: "a", selector: IntentSelector(bpf: "tcp"), expectedEgress: "eth2"),
            ])
        #expect(
            messages(config) == [
                "interface[2].name: 'eth2' is listed twice (also interface[1])",
                "interface[3].name: 'bad/name' is not a Linux interface name (no '/', ':' or spaces)",
                "interface[1].addresses[0]: 10.99.0.11 is already an address of eth1 (interface[0]); "
                    + "an address belongs to one interface",
                "interface[1].ifindex: ifindex 2 is already the one of eth1 (interface[0])",
                "interface[2].alias: 'vmk1' is already the alias of eth1 (interface[0])",
                // The model holds kernel names: an alias left in it is unknown.
                "intent[0].ingress: unknown interface 'vmk1' (known: eth1/vmk1, eth2, eth2/vmk1, bad/name)",
                "intent[1].name: 'a' is already the name of intent[0]",
            ])
    }

    @Test func noInterfacesListed() {
        let config = Config(intents: [
            Intent(name: "a", selector: IntentSelector(protocols: [6]), expectedEgress: "eth1")
        ])
        #expect(messages(config) == ["intent[0].egress: unknown interface 'eth1'; list it as an [[interface]] first"])
    }

    @Test func mixedFamiliesCanMatch() throws {
        let selector = IntentSelector(
            sources: [try prefix("10.0.0.0/8"), try prefix("2001:db8::/32")], destinations: [try prefix("::/0")])
        let config = Config(
            interfaces: [InterfaceConfig(name: "eth1")],
            intents: [Intent(name: "a", selector: selector, expectedEgress: "eth1")])
        #expect(messages(config).isEmpty)
    }
}
