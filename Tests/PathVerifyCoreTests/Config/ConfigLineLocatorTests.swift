import Testing

@testable import PathVerifyCore

@Suite struct ConfigLineLocatorTests {
    static let text = """
        # [[intent]] in a comment is not a header
        title = "lab"

        [[interface]]
        name = "eth1"
        addresses = [
            "10.99.0.11/24",  # first
            # a comment line between elements
            "2001:db8::11/64",
        ]

        [[intent]]
        name = "a"
        bpf = \"\"\"
        udp port 9999
        [[intent]]
        \"\"\"
        egress = "eth1"

        [[ intent ]]
        "name" = 'b'
        ports = [[1, 2], [3]]
        source = { v4 = "10.0.0.1", v6 = "::1" }

        [intent.extra]
        key = 1
        """

    let locator = ConfigLineLocator(text: text)

    func line(_ components: ConfigKeyPath.Component...) -> Int? {
        locator.line(of: ConfigKeyPath(components))
    }

    @Test func headersAndKeys() {
        #expect(line(.key("title")) == 2)
        #expect(line(.key("interface")) == 4)
        #expect(line(.key("interface"), .index(0)) == 4)
        #expect(line(.key("interface"), .index(0), .key("name")) == 5)
        #expect(line(.key("intent")) == 12)
        #expect(line(.key("intent"), .index(0), .key("egress")) == 18)
        // Whitespace inside the brackets and quoted keys.
        #expect(line(.key("intent"), .index(1)) == 20)
        #expect(line(.key("intent"), .index(1), .key("name")) == 21)
    }

    @Test func arrayElementsOnTheirOwnLines() {
        #expect(line(.key("interface"), .index(0), .key("addresses")) == 6)
        #expect(line(.key("interface"), .index(0), .key("addresses"), .index(0)) == 7)
        #expect(line(.key("interface"), .index(0), .key("addresses"), .index(1)) == 9)
    }

    @Test func nestedValues() {
        #expect(line(.key("intent"), .index(1), .key("ports"), .index(1), .index(0)) == 22)
        #expect(line(.key("intent"), .index(1), .key("source"), .key("v6")) == 23)
        // A sub-table header belongs to the latest [[intent]].
        #expect(line(.key("intent"), .index(1), .key("extra")) == 25)
        #expect(line(.key("intent"), .index(1), .key("extra"), .key("key")) == 26)
    }

    @Test func fallsBackToTheEnclosingTable() {
        // A multi-line string's content is not a header: there are two intents, not three.
        #expect(line(.key("intent"), .index(2)) == 12)
        #expect(line(.key("intent"), .index(0), .key("ingress")) == 12)
        #expect(line(.key("interface"), .index(0), .key("addresses"), .index(5)) == 6)
        #expect(line(.key("nothing")) == nil)
    }

    @Test func inlineArrayOfTables() {
        let locator = ConfigLineLocator(
            text: """
                intent = [
                  { name = "a" },
                  { name = "b", egress = "eth1" },
                ]
                """)
        #expect(locator.line(of: ConfigKeyPath(keys: "intent").appending(index: 1).appending("egress")) == 3)
    }

    @Test(arguments: ["", "[", "[[", "a = [", "a = \"\"\"", "a = {", "= 1", "\"unterminated", "[a.]\n]]]", "a.b.c"])
    func anyTextGivesAnAnswer(text: String) {
        _ = ConfigLineLocator(text: text).line(of: ConfigKeyPath(keys: "a", "b"))
    }
}
