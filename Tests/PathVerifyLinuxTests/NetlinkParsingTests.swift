import Glibc
import PathVerifyCore
import Testing

@testable import PathVerifyLinux

/// The netlink messages of a route, a rule, an error and a multipart dump, built byte by byte as
/// the kernel lays them out on little-endian x86-64 and arm64 (headers and u32 attributes in host
/// order, addresses in network order), and the same messages cut at every length.
@Suite struct NetlinkParsingTests {
    /// An `RTM_NEWROUTE` as a dump part: `10.98.0.0/24 via 10.98.0.1 dev x2 table 102 metric 100
    /// src 10.98.0.12 linkdown` (the layout of `ip -n ... monitor route` for such a route).
    static let route: [UInt8] = [
        // nlmsghdr: len 76, type RTM_NEWROUTE (24), flags NLM_F_MULTI (2), seq 7, pid 0
        76, 0, 0, 0, 24, 0, 2, 0, 7, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: AF_INET, dst_len 24, src_len 0, tos 0, table 102, proto static (4), scope universe (0),
        // type unicast (1), flags RTNH_F_LINKDOWN (0x10)
        2, 24, 0, 0, 102, 4, 0, 1, 0x10, 0, 0, 0,
        // RTA_TABLE (15) u32 102
        8, 0, 15, 0, 102, 0, 0, 0,
        // RTA_DST (1) 10.98.0.0
        8, 0, 1, 0, 10, 98, 0, 0,
        // RTA_PRIORITY (6) u32 100
        8, 0, 6, 0, 100, 0, 0, 0,
        // RTA_PREFSRC (7) 10.98.0.12
        8, 0, 7, 0, 10, 98, 0, 12,
        // RTA_GATEWAY (5) 10.98.0.1
        8, 0, 5, 0, 10, 98, 0, 1,
        // RTA_OIF (4) u32 ifindex 3
        8, 0, 4, 0, 3, 0, 0, 0,
    ]

    static let routeExpected = Route(
        destination: IPPrefix(address: IPAddress(ipv4: 0x0A62_0000), length: 24), table: 102, metric: 100,
        interface: "x2",
        gateway: IPAddress("10.98.0.1"), preferredSource: IPAddress("10.98.0.12"), isLinkDown: true)

    /// An IPv6 multipath `RTM_NEWROUTE`: `2001:db8::/32 table main metric 1024` with nexthops via
    /// fe80::1 dev ifindex 3 (link down) and via fe80::2 dev ifindex 4.
    static let multipathRoute: [UInt8] = [
        // nlmsghdr: len 116, type RTM_NEWROUTE (24), flags NLM_F_MULTI (2), seq 7, pid 0
        116, 0, 0, 0, 24, 0, 2, 0, 7, 0, 0, 0, 0, 0, 0, 0,
        // rtmsg: AF_INET6 (10), dst_len 32, src_len 0, tos 0, table main (254), proto boot (3), scope 0,
        // type unicast (1), flags 0
        10, 32, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0,
        // RTA_DST (1) 2001:db8::
        20, 0, 1, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        // RTA_PRIORITY (6) u32 1024
        8, 0, 6, 0, 0, 4, 0, 0,
        // RTA_MULTIPATH (9), 60 bytes: two rtnexthop of 28 bytes each
        60, 0, 9, 0,
        // rtnexthop: len 28, flags RTNH_F_LINKDOWN (0x10), hops 0, ifindex 3; RTA_GATEWAY (5) fe80::1
        28, 0, 0x10, 0, 3, 0, 0, 0, 20, 0, 5, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        // rtnexthop: len 28, flags 0, hops 0, ifindex 4; RTA_GATEWAY (5) fe80::2
        28, 0, 0, 0, 4, 0, 0, 0, 20, 0, 5, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    ]

    /// An `RTM_NEWRULE`: `1002: not from 10.98.0.12 to 10.2.0.0/16 tos 0x10 fwmark 0x10/0xff iif x1
    /// uidrange 1000-2000 ipproto tcp dport 443 lookup 102`.
    static let rule: [UInt8] = [
        // nlmsghdr: len 136, type RTM_NEWRULE (32), flags NLM_F_MULTI (2), seq 9, pid 0
        136, 0, 0, 0, 32, 0, 2, 0, 9, 0, 0, 0, 0, 0, 0, 0,
        // fib_rule_hdr: AF_INET, dst_len 16, src_len 32, tos 0x10, table 102, res1, res2,
        // action FR_ACT_TO_TBL (1), flags FIB_RULE_INVERT (2)
        2, 16, 32, 0x10, 102, 0, 0, 1, 2, 0, 0, 0,
        // FRA_TABLE (15) u32 102
        8, 0, 15, 0, 102, 0, 0, 0,
        // FRA_SUPPRESS_PREFIXLEN (14) u32 0xffffffff: none
        8, 0, 14, 0, 0xff, 0xff, 0xff, 0xff,
        // FRA_PROTOCOL (21) u8 boot (3), padded: who made the rule, not a selector
        5, 0, 21, 0, 3, 0, 0, 0,
        // FRA_PRIORITY (6) u32 1002
        8, 0, 6, 0, 0xea, 0x03, 0, 0,
        // FRA_DST (1) 10.2.0.0
        8, 0, 1, 0, 10, 2, 0, 0,
        // FRA_SRC (2) 10.98.0.12
        8, 0, 2, 0, 10, 98, 0, 12,
        // FRA_IIFNAME (3) "x1\0", padded
        7, 0, 3, 0, 0x78, 0x31, 0, 0,
        // FRA_FWMARK (10) u32 0x10
        8, 0, 10, 0, 0x10, 0, 0, 0,
        // FRA_FWMASK (16) u32 0xff
        8, 0, 16, 0, 0xff, 0, 0, 0,
        // FRA_UID_RANGE (20) struct fib_rule_uid_range { u32 1000, u32 2000 }
        12, 0, 20, 0, 0xe8, 0x03, 0, 0, 0xd0, 0x07, 0, 0,
        // FRA_IP_PROTO (22) u8 tcp (6), padded
        5, 0, 22, 0, 6, 0, 0, 0,
        // FRA_DPORT_RANGE (24) struct fib_rule_port_range { u16 443, u16 443 }
        8, 0, 24, 0, 0xbb, 0x01, 0xbb, 0x01,
        // FRA_DPORT_MASK (29) u16 0xffff, padded: the full mask kernel 6.18 sends with a single port
        6, 0, 29, 0, 0xff, 0xff, 0, 0,
    ]

    static let ruleExpected = RoutingRule(
        priority: 1002, source: IPPrefix("10.98.0.12/32"), destination: IPPrefix("10.2.0.0/16"),
        inputInterface: "x1", fwmark: 0x10, isInverted: true, action: .lookup(102),
        otherSelectors: ["tos 0x10", "fwmask 0xff", "uidrange 1000-2000", "ipproto tcp", "dport 443"])

    /// The kernel refusing an `RTM_GETROUTE` with `EINVAL`, with `NETLINK_CAP_ACK` and
    /// `NETLINK_EXT_ACK` set: the echoed request is only its header, and a text follows.
    static let error: [UInt8] = [
        // nlmsghdr: len 48, type NLMSG_ERROR (2), flags NLM_F_CAPPED | NLM_F_ACK_TLVS (0x300), seq 5, pid 0
        48, 0, 0, 0, 2, 0, 0, 3, 5, 0, 0, 0, 0, 0, 0, 0,
        // nlmsgerr.error: -22 (-EINVAL)
        0xea, 0xff, 0xff, 0xff,
        // nlmsgerr.msg: the request's header: len 52, type RTM_GETROUTE (26), flags NLM_F_REQUEST, seq 5, pid 4242
        52, 0, 0, 0, 26, 0, 1, 0, 5, 0, 0, 0, 0x92, 0x10, 0, 0,
        // NLMSGERR_ATTR_MSG (1) "bad src\0"
        12, 0, 1, 0, 0x62, 0x61, 0x64, 0x20, 0x73, 0x72, 0x63, 0,
    ]

    /// A link dump in two datagrams, as a dump of RTM_GETLINK (sequence 11) arrives: `lo` and
    /// `x1` in the first, a stale part of an earlier dump (sequence 10) and `x2` and
    /// `NLMSG_DONE` in the second.
    static let multipart: [[UInt8]] = [
        [
            // nlmsghdr: len 40, RTM_NEWLINK (16), NLM_F_MULTI, seq 11, pid 0
            40, 0, 0, 0, 16, 0, 2, 0, 11, 0, 0, 0, 0, 0, 0, 0,
            // ifinfomsg: AF_UNSPEC, pad, type loopback (772), index 1, flags, change
            0, 0, 0x04, 0x03, 1, 0, 0, 0, 0x49, 0, 1, 0, 0, 0, 0, 0,
            // IFLA_IFNAME (3) "lo\0", padded
            7, 0, 3, 0, 0x6c, 0x6f, 0, 0,
            // nlmsghdr: len 40, RTM_NEWLINK (16), NLM_F_MULTI, seq 11, pid 0
            40, 0, 0, 0, 16, 0, 2, 0, 11, 0, 0, 0, 0, 0, 0, 0,
            // ifinfomsg: AF_UNSPEC, pad, type ether (1), index 5, flags, change
            0, 0, 1, 0, 5, 0, 0, 0, 0x43, 0x10, 1, 0, 0, 0, 0, 0,
            // IFLA_IFNAME (3) "x1\0", padded
            7, 0, 3, 0, 0x78, 0x31, 0, 0,
        ],
        [
            // nlmsghdr: len 40, RTM_NEWLINK (16), NLM_F_MULTI, seq 10 (stale), pid 0
            40, 0, 0, 0, 16, 0, 2, 0, 10, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 0, 9, 0, 0, 0, 0x43, 0x10, 1, 0, 0, 0, 0, 0,
            7, 0, 3, 0, 0x7a, 0x39, 0, 0,
            // nlmsghdr: len 40, RTM_NEWLINK (16), NLM_F_MULTI, seq 11, pid 0: "x2", index 6
            40, 0, 0, 0, 16, 0, 2, 0, 11, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 1, 0, 6, 0, 0, 0, 0x43, 0x10, 1, 0, 0, 0, 0, 0,
            7, 0, 3, 0, 0x78, 0x32, 0, 0,
            // nlmsghdr: len 20, NLMSG_DONE (3), NLM_F_MULTI, seq 11, pid 0; error 0
            20, 0, 0, 0, 3, 0, 2, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
    ]

    static let names: [UInt32: String] = [3: "x2", 4: "x1"]

    static func decodeRoutes(_ bytes: [UInt8]) throws -> [Route] {
        try NetlinkMessage.parseAll(bytes).compactMap { try RouteMessage(decoding: $0).route(interfaceNames: names) }
    }

    static func decodeRules(_ bytes: [UInt8]) throws -> [RoutingRule] {
        try NetlinkMessage.parseAll(bytes).compactMap { try RuleMessage(decoding: $0).rule() }
    }

    static func decodeAcknowledgements(_ bytes: [UInt8]) throws -> [NetlinkAcknowledgement] {
        try NetlinkMessage.parseAll(bytes).map { try NetlinkAcknowledgement(decoding: $0) }
    }

    /// The answer to dump 11 from `datagrams`, and the interface names it carries.
    static func collectLinks(_ datagrams: [[UInt8]]) throws -> (complete: Bool, names: [UInt32: String]) {
        var answer = NetlinkAnswer(request: .getLink, sequence: 11)
        var complete = false
        for datagram in datagrams where !complete { complete = try answer.consume(datagram) }
        var names: [UInt32: String] = [:]
        for message in answer.messages {
            let link = try LinkMessage(decoding: message)
            names[link.index] = link.name
        }
        return (complete, names)
    }

    @Test func aRoute() throws {
        #expect(try Self.decodeRoutes(Self.route) == [Self.routeExpected])
        #expect(
            Self.routeExpected.description
                == "10.98.0.0/24 via 10.98.0.1 dev x2 table 102 metric 100 src 10.98.0.12 linkdown")
    }

    @Test func aMultipathRouteHasNoInterfaceAndIsUpWhileOneNexthopIs() throws {
        let expected = Route(
            destination: IPPrefix(address: IPAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 0), length: 32), metric: 1024
        )
        #expect(try Self.decodeRoutes(Self.multipathRoute) == [expected])
        let message = try #require(try NetlinkMessage.parseAll(Self.multipathRoute).first)
        let decoded = try RouteMessage(decoding: message)
        let nexthops = try RouteMessage.nexthops(
            try #require(decoded.attributes.payload(RTNetlink.multipath)), family: AddressFamily.ipv6, context: "test")
        #expect(nexthops.map(\.interfaceIndex) == [3, 4])
        #expect(nexthops.map(\.isLinkDown) == [true, false])
        #expect(nexthops.map(\.gateway) == [IPAddress("fe80::1"), IPAddress("fe80::2")])
    }

    @Test func aRule() throws {
        #expect(try Self.decodeRules(Self.rule) == [Self.ruleExpected])
    }

    @Test func aRefusalNamesTheRequestAndCarriesTheErrnoAndText() throws {
        #expect(
            try Self.decodeAcknowledgements(Self.error) == [NetlinkAcknowledgement(errno: EINVAL, message: "bad src")])
        var answer = NetlinkAnswer(request: .getRoute, sequence: 5)
        let expected = NetlinkError(request: "RTM_GETROUTE", reason: .refused(errno: EINVAL, message: "bad src"))
        #expect(throws: expected) { try answer.consume(Self.error) }
        #expect(expected.errno == EINVAL)
        #expect(expected.description == "RTM_GETROUTE: the kernel answered error 22 (Invalid argument): bad src")
    }

    @Test func aMultipartDumpSkipsStalePartsAndEndsAtDone() throws {
        let links = try Self.collectLinks(Self.multipart)
        #expect(links.complete)
        #expect(links.names == [1: "lo", 5: "x1", 6: "x2"])
        // Without its second datagram the dump is not over.
        #expect(try !Self.collectLinks([Self.multipart[0]]).complete)
    }

    @Test func requestsAreLaidOutAsTheKernelReadsThem() throws {
        let lookup = RouteMessage.lookupRequest(
            destination: try #require(IPAddress("10.98.0.22")), source: try #require(IPAddress("10.98.0.11")))
        #expect(
            lookup == [
                // rtmsg: AF_INET, dst_len 32, src_len 32, tos, table, protocol, scope, type;
                // flags RTM_F_FIB_MATCH | RTM_F_LOOKUP_TABLE
                2, 32, 32, 0, 0, 0, 0, 0, 0, 0x30, 0, 0,
                // RTA_DST 10.98.0.22, RTA_SRC 10.98.0.11
                8, 0, 1, 0, 10, 98, 0, 22, 8, 0, 2, 0, 10, 98, 0, 11,
            ])
        let message = NetlinkMessage(type: .getRoute, flags: 1, sequence: 3, payload: lookup)
        #expect(Array(message.encoded().prefix(8)) == [44, 0, 0, 0, 26, 0, 1, 0])
        #expect(try NetlinkMessage.parseAll(message.encoded()) == [message])
    }

    /// Each fixture cut at every length: a cut inside a message is an error, a cut between
    /// messages parses the messages before it, and nothing crashes.
    @Test func everyPrefixIsRejectedOrParsed() throws {
        let decoders: [(String, [UInt8], ([UInt8]) throws -> Int)] = [
            ("route", Self.route, { try Self.decodeRoutes($0).count }),
            ("multipath route", Self.multipathRoute, { try Self.decodeRoutes($0).count }),
            ("rule", Self.rule, { try Self.decodeRules($0).count }),
            ("error", Self.error, { try Self.decodeAcknowledgements($0).count }),
            ("multipart", Self.multipart[0], { try Self.collectLinks([$0]).names.count }),
            ("multipart end", Self.multipart[1], { try Self.collectLinks([$0]).names.count }),
        ]
        for (name, bytes, decode) in decoders {
            let boundaries = try Self.messageBoundaries(bytes)
            for length in 0..<bytes.count {
                let prefix = Array(bytes.prefix(length))
                if boundaries.contains(length) {
                    #expect(throws: Never.self, "\(name) cut at \(length), between messages") { try decode(prefix) }
                } else {
                    #expect(throws: (any Error).self, "\(name) cut at \(length)") { try decode(prefix) }
                }
            }
        }
    }

    /// The same fixtures cut at every length, with `nlmsg_len` rewritten to the cut, so that the
    /// message is whole and the cut falls inside its header, an attribute or a nexthop.
    @Test func everyShortenedMessageIsRejectedOrParsed() throws {
        for (name, bytes) in [("route", Self.route), ("multipath route", Self.multipathRoute), ("rule", Self.rule)] {
            var sawErrors = 0
            for length in NetlinkMessage.headerLength..<bytes.count {
                var shortened = Array(bytes.prefix(length))
                shortened.replaceSubrange(
                    0..<4, with: Swift.withUnsafeBytes(of: UInt32(length).littleEndian, Array.init))
                do {
                    _ = name == "rule" ? try Self.decodeRules(shortened).count : try Self.decodeRoutes(shortened).count
                } catch is NetlinkDecodeError {
                    sawErrors += 1
                }
            }
            // A cut inside the fixed header is an error at every length.
            #expect(sawErrors >= 12, "\(name)")
        }
        // RTA_MULTIPATH (at offset 56) shortened by 4 bytes with the message: the second
        // rtnexthop still says 28 bytes, but only 24 remain in the attribute.
        var cut = Array(Self.multipathRoute.prefix(112))
        cut[0] = 112
        cut[56] = 56
        #expect {
            try Self.decodeRoutes(cut)
        } throws: { error in
            (error as? NetlinkDecodeError)?.field == "rtnexthop in RTA_MULTIPATH of RTM_NEWROUTE"
        }
    }

    @Test func shortAttributesNameThemselves() throws {
        var bytes = Self.route
        bytes[44] = 6  // RTA_PRIORITY (at offset 44) length 8 -> 6: a u32 in 2 bytes, the rest read as padding
        do {
            _ = try Self.decodeRoutes(bytes)
            Issue.record("a 2-byte RTA_PRIORITY was accepted")
        } catch let error as NetlinkDecodeError {
            #expect(
                error
                    == NetlinkDecodeError(
                        field: "RTA_PRIORITY of RTM_NEWROUTE", reason: .truncated(needed: 4, available: 2)))
        }
    }

    /// The offsets at which a message of `bytes` ends: where a cut leaves only whole messages.
    static func messageBoundaries(_ bytes: [UInt8]) throws -> Set<Int> {
        var boundaries: Set<Int> = [0]
        var offset = 0
        for message in try NetlinkMessage.parseAll(bytes) {
            offset += NetlinkBytes.aligned(NetlinkMessage.headerLength + message.payload.count)
            boundaries.insert(min(offset, bytes.count))
        }
        return boundaries
    }
}
