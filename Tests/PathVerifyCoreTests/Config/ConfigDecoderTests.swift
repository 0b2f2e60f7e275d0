import Testing

@testable import PathVerifyCore

/// The decoder over hand-built documents; `ConfigLoaderTests` covers it through real TOML files.
@Suite struct ConfigDecoderTests {
    @Test func aliasesBecomeKernelNames() throws {
        let text = """
            [[interface]]
            name = "eth1"
            alias = "vmk1"
            [[intent]]
            name = "a"
            protocol = "tcp"
            egress = "vmk1"
            ingress = "eth1"
            """
        let document: [String: ConfigValue] = [
            "interface": .array([.table(["name": .string("eth1"), "alias": .string("vmk1")])]),
            "intent": .array([
                .table([
                    "name": .string("a"), "protocol": .string("tcp"), "egress": .string("vmk1"),
                    "ingress": .string("eth1"),
                ])
            ]),
        ]
        let config = try ConfigDecoder.decode(document, file: "f.toml", text: text)
        #expect(config.intents.first?.expectedEgress == "eth1")
        #expect(config.intents.first?.expectedIngress == "eth1")
        #expect(config.intents.first?.selector.protocols == [6])
    }

    /// The validator sees the second interface as `interface[0]` (the first entry is not a table)
    /// and its second address as `addresses[0]` (the first did not parse); errors name the file's places.
    @Test func validatorErrorsPointIntoTheFile() {
        let text = """
            interface = [
              "eth0",
              { name = "eth1", addresses = ["x", "10.0.0.1/24", "10.0.0.1/24"] },
            ]
            """
        let document: [String: ConfigValue] = [
            "interface": .array([
                .string("eth0"),
                .table([
                    "name": .string("eth1"),
                    "addresses": .array([.string("x"), .string("10.0.0.1/24"), .string("10.0.0.1/24")]),
                ]),
            ])
        ]
        #expect(
            throws: ConfigLoadError(errors: [
                ConfigError(
                    file: "f.toml", keyPath: ConfigKeyPath(keys: "interface").appending(index: 0), line: 2,
                    message: "expected a table (one [[interface]]), found a string"),
                ConfigError(
                    file: "f.toml",
                    keyPath: ConfigKeyPath(keys: "interface").appending(index: 1).appending("addresses").appending(
                        index: 0),
                    line: 3, message: "'x' is not an IP address with prefix length, like '10.99.0.11/24'"),
                ConfigError(
                    file: "f.toml",
                    keyPath: ConfigKeyPath(keys: "interface").appending(index: 1).appending("addresses").appending(
                        index: 2),
                    line: 3, message: "10.0.0.1 is listed twice on this interface"),
            ])
        ) {
            try ConfigDecoder.decode(document, file: "f.toml", text: text)
        }
    }

    @Test func otherValueKindsAreNamed() {
        let document: [String: ConfigValue] = [
            "interface": .array([.table(["name": .other("a date-time"), "ifindex": .float(2.0)])])
        ]
        do {
            _ = try ConfigDecoder.decode(document, file: "f.toml", text: "")
            Issue.record("decoded bad types")
        } catch {
            #expect(
                error.description == """
                    f.toml: interface[0].name: expected a string, found a date-time
                    f.toml: interface[0].ifindex: expected an integer, like 2, found a floating-point number
                    """)
        }
    }
}

@Suite struct ConfigErrorTests {
    @Test func rendering() {
        let path = ConfigKeyPath(keys: "intent").appending(index: 2).appending("egress")
        #expect(
            ConfigError(file: "p.toml", keyPath: path, line: 14, message: "unknown interface 'vmk9'").description
                == "p.toml:14: intent[2].egress: unknown interface 'vmk9'")
        #expect(
            ConfigError(file: "p.toml", keyPath: .root, line: 3, column: 9, message: "TOML syntax error: x").description
                == "p.toml:3:9: TOML syntax error: x")
        #expect(
            ConfigError(file: "p.toml", keyPath: .root, message: "cannot read: No such file or directory").description
                == "p.toml: cannot read: No such file or directory")
        #expect(ConfigKeyPath(keys: "intent", "my key").description == "intent.\"my key\"")
    }
}
