import Testing

@testable import PathVerifyCore

@Suite struct AddressTests {
    @Test(arguments: [
        ("10.99.0.12", "10.99.0.12"),
        ("2001:db8::12", "2001:db8::12"),
        ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
        ("::", "::"),
        ("::1", "::1"),
        ("fe80::", "fe80::"),
        ("::ffff:10.0.0.1", "::ffff:a00:1"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8"),
    ])
    func parsesAndFormats(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: ["10.99.0", "10.99.0.256", "1::2::3", "1:2:3:4:5:6:7:8:9", "eth0", "", "10.99.0.1/24", "12345::"])
    func rejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func prefixContainment() throws {
        let subnet = try #require(IPPrefix("10.99.0.0/24"))
        #expect(subnet.contains(try #require(IPAddress("10.99.0.22"))))
        #expect(!subnet.contains(try #require(IPAddress("10.99.1.22"))))
        #expect(!subnet.contains(try #require(IPAddress("::a63:16"))))
        let v6 = try #require(IPPrefix("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!v6.contains(try #require(IPAddress("2001:db9::1"))))
        let host = try #require(IPPrefix("2001:db8::1:2"))
        #expect(host.length == 128)
        #expect(host.contains(try #require(IPAddress("2001:db8::1:2"))))
        #expect(!host.contains(try #require(IPAddress("2001:db8::1:3"))))
        #expect(IPPrefix("10.0.0.0/33") == nil)
        #expect(try #require(IPPrefix("10.99.0.11/24")).overlaps(try #require(IPPrefix("10.99.0.12/24"))))
    }

    @Test func macAddresses() throws {
        let mac = try #require(MACAddress("02:00:00:00:0A:01"))
        #expect(mac.description == "02:00:00:00:0a:01")
        #expect(!mac.isGroup)
        #expect(MACAddress.broadcast.isGroup)
        #expect(MACAddress("02:00:00:00:0a") == nil)
        #expect(MACAddress("02:00:00:00:0a:1g") == nil)
    }

    @Test func timestampsFormatAsRFC3339() {
        #expect(Timestamp(seconds: 0).description == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789).description == "2023-11-14T22:13:20.123456Z")
        #expect(Timestamp(seconds: 951_782_400).description == "2000-02-29T00:00:00.000000Z")
    }
}
