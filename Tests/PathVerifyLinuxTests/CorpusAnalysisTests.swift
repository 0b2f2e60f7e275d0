import Foundation
import PathVerifyCore
import PathVerifyLinux
import PathVerifyTestSupport
import Testing

/// Runs the whole offline analysis on every file of the shared capture corpus (`shared/corpus/pcap`, beside the
/// checkout) and compares what it counts with tshark's oracle (`shared/corpus/expected/<file>.json`): the packet
/// total and the IPv4 and IPv6 conversation tables, taken without reassembly. Files tshark rejects as broken must be
/// rejected or reported damaged. Files where the two legitimately disagree are listed in `exceptions`, with why.
@Suite("CorpusAnalysis")
struct CorpusAnalysisTests {
    static let corpus = SharedCorpus.directory
    static let isCI = SharedCorpus.isCI
    static let corpusPresent = SharedCorpus.isPresent

    /// The longest one file may take, in a debug build.
    static let perFileLimit = Duration.seconds(10)

    static var files: [String] { SharedCorpus.files }

    // MARK: - The oracle

    /// Frames per unordered address pair.
    typealias PairCounts = [Pair: UInt64]

    struct Pair: Hashable, CustomStringConvertible {
        var low: IPAddress
        var high: IPAddress

        init(_ a: IPAddress, _ b: IPAddress) {
            (low, high) = a < b ? (a, b) : (b, a)
        }

        var description: String { "\(low) <-> \(high)" }
    }

    struct Expected {
        var tsharkOK: Bool
        var malformedClass: [Substring]
        var totalPackets: Int?
        /// tshark's `-z conv,ip` and `-z conv,ipv6` frames, without IP defragmentation or TCP reassembly.
        var ipv4: PairCounts
        var ipv6: PairCounts
    }

    enum OracleError: Error, CustomStringConvertible {
        case unreadable(String)
        case badAddress(String, String)

        var description: String {
            switch self {
            case .unreadable(let file): "expected/\(file).json is missing or not a JSON object"
            case .badAddress(let file, let text): "expected/\(file).json: conversation address \(text) does not parse"
            }
        }
    }

    static func expected(_ file: String) throws -> Expected {
        let url = corpus.appendingPathComponent("expected/\(file).json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw OracleError.unreadable(file) }
        let conversations = (object["no_reassembly"] as? [String: Any])?["conversations"] as? [String: Any]
        func pairs(_ table: String) throws -> PairCounts {
            var counts: PairCounts = [:]
            for row in conversations?[table] as? [[String: Any]] ?? [] {
                let a = row["a"] as? String ?? ""
                let b = row["b"] as? String ?? ""
                guard let first = IPAddress(a) else { throw OracleError.badAddress(file, a) }
                guard let second = IPAddress(b) else { throw OracleError.badAddress(file, b) }
                counts[Pair(first, second), default: 0] += UInt64(row["frames"] as? Int ?? 0)
            }
            return counts
        }
        return Expected(
            tsharkOK: object["tshark_ok"] as? Bool ?? false,
            malformedClass: (object["malformed_class"] as? String ?? "").split(separator: "+"),
            totalPackets: object["total_packets"] as? Int, ipv4: try pairs("ip"), ipv6: try pairs("ipv6"))
    }

    // MARK: - Our side

    struct Ours {
        var outcome: OfflineAnalyzer.Outcome?
        var error: CaptureFileReaderError?
        var elapsed: Duration
        var ipv4: PairCounts = [:]
        var ipv6: PairCounts = [:]
    }

    static func analyse(_ path: String) throws -> Ours {
        let analyzer = try OfflineAnalyzer(config: Config(), maxFlows: 1_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        var ours: Ours
        do {
            let outcome = try analyzer.run([OfflineInput(path: path)])
            ours = Ours(outcome: outcome, error: nil, elapsed: clock.now - start)
        } catch {
            return Ours(outcome: nil, error: error, elapsed: clock.now - start)
        }
        for flow in ours.outcome?.result.flows.records ?? [] {
            let pair = Pair(flow.key.source, flow.key.destination)
            if flow.key.source.isIPv6 {
                ours.ipv6[pair, default: 0] += flow.packets
            } else {
                ours.ipv4[pair, default: 0] += flow.packets
            }
        }
        return ours
    }

    /// One address pair whose frame counts differ.
    struct Difference: CustomStringConvertible {
        var pair: Pair
        var ours: UInt64
        var tshark: UInt64

        var description: String { "\(pair.low.isIPv6 ? "IPv6" : "IPv4") \(pair): ours \(ours), tshark \(tshark)" }
    }

    /// The pairs where two tables differ.
    static func differences(ours: PairCounts, tshark: PairCounts) -> [Difference] {
        Set(ours.keys).union(tshark.keys).sorted { ($0.low, $0.high) < ($1.low, $1.high) }.compactMap { pair in
            let mine = ours[pair] ?? 0
            let theirs = tshark[pair] ?? 0
            return mine == theirs ? nil : Difference(pair: pair, ours: mine, tshark: theirs)
        }
    }

    // MARK: - Tests

    // That the corpus is present (and, in CI, a failure when it is not) is checked once, by CaptureCorpusTests.

    @Test(.enabled(if: corpusPresent, "the capture corpus is not at \(corpus.path); skipping"), .timeLimit(.minutes(2)))
    func everyFileAnalysesAndMatchesTsharksConversations() throws {
        var agreeing = 0
        var excepted: [String: Int] = [:]
        var slowest: (file: String, elapsed: Duration) = ("", .zero)
        var total = Duration.zero
        for file in Self.files {
            let expected: Expected
            do {
                expected = try Self.expected(file)
            } catch {
                Issue.record("\(file): \(error)")
                continue
            }
            let ours = try Self.analyse(Self.corpus.appendingPathComponent("pcap/\(file)").path)
            total += ours.elapsed
            if ours.elapsed > slowest.elapsed { slowest = (file, ours.elapsed) }
            #expect(ours.elapsed < Self.perFileLimit, "\(file): took \(ours.elapsed)")

            if expected.malformedClass.contains("file") {
                #expect(
                    ours.error != nil || !(ours.outcome?.damage.isEmpty ?? true),
                    "\(file): tshark rejects the file, we read it without damage")
                continue
            }
            guard expected.tsharkOK else { continue }
            guard let outcome = ours.outcome else {
                Issue.record("\(file): tshark reads it, we throw \(ours.error.map { "\($0)" } ?? "")")
                continue
            }
            #expect(outcome.result.evictedFlows == 0, "\(file)")
            #expect(
                Int(outcome.result.stats.packets) == expected.totalPackets,
                "\(file): \(outcome.result.stats.packets) packets, capinfos counts \(expected.totalPackets ?? -1)")

            let differences =
                Self.differences(ours: ours.ipv4, tshark: expected.ipv4)
                + Self.differences(ours: ours.ipv6, tshark: expected.ipv6)
            if let exception = Self.exceptions[file] {
                let category = exception.category
                excepted[category.rawValue, default: 0] += 1
                #expect(
                    !differences.isEmpty,
                    "\(file) is listed as an exception (\(category.rawValue)) but now agrees with tshark")
                // The category says which side may count more; a difference the other way is unexplained.
                let unexplained = differences.filter { difference in
                    switch category.moreOn {
                    case .ours: difference.ours < difference.tshark
                    case .tshark: difference.ours > difference.tshark
                    case nil: false
                    }
                }
                #expect(
                    unexplained.isEmpty,
                    "\(file) (\(category.rawValue): \(exception.detail)) also differs the other way: \(unexplained)")
            } else if differences.isEmpty {
                agreeing += 1
            } else {
                let lines = differences.prefix(20).map(\.description).joined(separator: "\n  ")
                Issue.record("\(file): IP conversations differ from tshark's (no reassembly):\n  \(lines)")
            }
        }
        print(
            "corpus analysis: \(Self.files.count) files in \(total), slowest \(slowest.file) (\(slowest.elapsed)); "
                + "\(agreeing) agree with tshark's IP conversations; exceptions: "
                + excepted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }

    @Test(.enabled(if: corpusPresent, "the capture corpus is not at \(corpus.path); skipping"))
    func everyExceptionNamesAFileTsharkReads() {
        let present = Set(Self.files)
        for file in Self.exceptions.keys.sorted() {
            #expect(present.contains(file), "exception for \(file), which is not in the corpus")
            #expect((try? Self.expected(file))?.tsharkOK == true, "exception for \(file), which tshark does not read")
        }
    }

    // MARK: - Exceptions

    /// Why our IP conversations and tshark's cannot agree for a file. We decode only the outermost IP header of
    /// Ethernet, Linux cooked (v1, v2), raw IP, IPv4/IPv6 and BSD loopback frames, and reassemble nothing; tshark
    /// dissects every layer it knows. Each category says which side may count more, and the test holds it to that.
    enum Category: String, CaseIterable {
        case tunnel
        case carrierNotDecoded = "carrier-not-decoded"
        case linkTypeNotDecoded = "link-type-not-decoded"
        case loopbackHeuristic = "loopback-heuristic"
        case sourceRoute = "source-route"
        case ipv6PayloadNotDissected = "ipv6-payload-not-dissected"
        case malformedHeader = "malformed-header"

        var reason: String {
            switch self {
            case .tunnel:
                "tunnel: tshark also lists the inner conversation of the encapsulated IP packet; we count the outer "
                    + "header only"
            case .carrierNotDecoded:
                "an Ethernet payload we do not decode (MPLS 0x8847, PPPoE session 0x8864, Arista AVSP 0xD28B) "
                    + "carries the IP packet, so we count the frame as non-IP"
            case .linkTypeNotDecoded:
                "the link type is not one we decode, so we count its frames as undecoded"
            case .loopbackHeuristic:
                "the 4-byte NULL header is no address family (tcpdump prints `AF Unknown`); tshark's heuristic "
                    + "reads a value over 1500 as an EtherType"
            case .sourceRoute:
                "IPv4 loose/strict source route (LSRR/SSRR): tshark takes the route's last address as the "
                    + "destination; we take the header's destination field"
            case .ipv6PayloadNotDissected:
                "tshark 4.0's conv,ipv6 table leaves out IPv6 packets whose payload it shows as data (non-first "
                    + "fragments with defragmentation off, next header 59, an undissected next header), though "
                    + "they match the `ipv6` display filter; we count every IPv6 packet"
            case .malformedHeader:
                "an IP header that is malformed or cut by the snapshot length: tshark stops (Bogus length, "
                    + "exception) before its conversation tap; we count the packet by its fixed header, with an "
                    + "anomaly"
            }
        }

        /// Which side may count more packets for a pair; `nil` when both can.
        var moreOn: Side? {
            switch self {
            case .tunnel, .carrierNotDecoded, .linkTypeNotDecoded, .loopbackHeuristic: .tshark
            case .ipv6PayloadNotDissected, .malformedHeader: .ours
            case .sourceRoute: nil
            }
        }
    }

    enum Side { case ours, tshark }

    struct Exception {
        var category: Category
        var detail: String

        init(_ category: Category, _ detail: String) {
            self.category = category
            self.detail = detail
        }
    }

    /// Every file whose IP conversations disagree with tshark's, checked by hand with tshark 4.0.17 and tcpdump.
    static let exceptions: [String: Exception] = [
        // Tunnels: tshark adds the inner conversation.
        "libpcap__AH-IPcomp-IPv4.pcap": .init(.tunnel, "IPsec tunnel mode: IPv4/AH/(IPComp)/IPv4"),
        "libpcap__AH-IPcomp-IPv6.pcap": .init(.tunnel, "IPsec tunnel mode: IPv6/AH/(IPComp)/IPv6"),
        "libpcap__ipv6_ah_modes.pcap": .init(.tunnel, "IPsec tunnel mode: IPv6/AH/IPv6 (frame 2)"),
        "pcapplusplus__GrePackets.cap": .init(.tunnel, "PPTP: IPv4/GRE/PPP/IPv4"),
        "pcapplusplus__GrePackets.pcap": .init(
            .tunnel, "GRE/IPv4, GRE/GRE/IPv4, 4in6 GRE/PPP/IPv4, GRE/Ethernet/IPv4; frames 3-4 are GRE between "
                + "127.0.0.1 and itself inside the same pair, so tshark counts that pair twice"),
        "pcapplusplus__IPv4-encapsulated-IPv6.pcap": .init(.tunnel, "6in4: IPv4/IPv6"),
        "pcapplusplus__Vxlan1.pcap": .init(.tunnel, "VXLAN (UDP 4789)/Ethernet/IPv4"),
        "tcpdump__LINKTYPE_IPV4_invalid.pcap": .init(.tunnel, "6in4 on link type 228: IPv4/IPv6"),
        "tcpdump__PIM_register_register-stop.pcap": .init(.tunnel, "PIM Register carrying an IPv4 multicast packet"),
        "tcpdump__erspan-type-i-1.pcap": .init(.tunnel, "ERSPAN type I: GRE/Ethernet/VLAN/IPv4"),
        "tcpdump__erspan-type-iii-ft-0.pcap": .init(.tunnel, "ERSPAN type III: GRE/Ethernet/VLAN/IPv4"),
        "tcpdump__geneve-gcp.pcap": .init(.tunnel, "Geneve (UDP 6081) carrying IPv4 directly"),
        "tcpdump__geneve.pcap": .init(.tunnel, "Geneve (UDP 6081)/Ethernet/IPv4"),
        "tcpdump__gso-ipv4-vxlan-ipv4.pcap": .init(.tunnel, "VXLAN/Ethernet/IPv4"),
        "tcpdump__gso-ipv6-geneve-ipv6.pcap": .init(.tunnel, "Geneve over IPv6 carrying Ethernet/IPv6"),
        "tcpdump__ipv6-srh-ext-header.pcap": .init(.tunnel, "SRv6: IPv6/routing header/IPv6"),
        "tcpdump__mpls-over-udp.pcap": .init(.tunnel, "MPLS over UDP (6635)/IPv4"),
        "tcpdump__various_gre.pcap": .init(
            .tunnel, "GRE/IPv4 (keepalives inside the same pair, so tshark counts them twice) and GRE/Ethernet/IPv4"),
        "tcpdump__vxlan.pcap": .init(.tunnel, "VXLAN/Ethernet/IPv4"),
        "tcpdump__wccp_redirect_gre.pcap": .init(.tunnel, "WCCP redirect: GRE/IPv4"),
        // Ethernet payloads we do not decode.
        "pcapplusplus__MplsPackets.pcap": .init(.carrierNotDecoded, "QinQ/MPLS/IPv4 and MPLS/pseudowire/Ethernet/IPv4"),
        "pcapplusplus__PPPoESession.pcap": .init(.carrierNotDecoded, "PPPoE session/PPP/IPv6"),
        "tcpdump__arista_ether.pcap": .init(.carrierNotDecoded, "Arista AVSP (0xD28B) before IPv4, VLAN and MPLS"),
        // Link types we do not decode.
        "libpcap__http_PPI.pcap": .init(.linkTypeNotDecoded, "192 PPI (802.11)"),
        "pcapplusplus__CiscoHDLC.pcap": .init(.linkTypeNotDecoded, "104 C_HDLC"),
        "tcpdump__HDLC.pcap": .init(.linkTypeNotDecoded, "104 C_HDLC"),
        "pcapplusplus__nflogPacket.pcap": .init(.linkTypeNotDecoded, "239 NFLOG"),
        "tcpdump__nflog.pcap": .init(.linkTypeNotDecoded, "239 NFLOG"),
        "tcpdump__802_15_4-data.pcap": .init(.linkTypeNotDecoded, "195 IEEE 802.15.4 (6LoWPAN)"),
        "tcpdump__LINKTYPE_PKTAP.pcap": .init(.linkTypeNotDecoded, "258 PKTAP"),
        "tcpdump__LINKTYPE_USER2_PKTAP.pcap": .init(.linkTypeNotDecoded, "149 USER2 (PKTAP)"),
        "tcpdump__OSPFv3_NBMA_adjacencies.pcap": .init(.linkTypeNotDecoded, "107 Frame Relay"),
        "tcpdump__icmp-icmp_print-oobr-2.pcap": .init(.linkTypeNotDecoded, "107 Frame Relay"),
        "tcpdump__vrrp-vrrp_print-oobr.pcap": .init(.linkTypeNotDecoded, "107 Frame Relay"),
        "tcpdump__icmp-rfc5837.pcap": .init(.linkTypeNotDecoded, "9 PPP"),
        "tcpdump__mpls-traceroute.pcap": .init(.linkTypeNotDecoded, "9 PPP (with MPLS)"),
        "tcpdump__arcnet-rfc1201-arp-icmp-http.pcap": .init(.linkTypeNotDecoded, "129 ARCNET (Linux)"),
        "tcpdump__bgp-aigp.pcap": .init(.linkTypeNotDecoded, "178 Juniper Ethernet"),
        "tcpdump__e1000g.pcap": .init(.linkTypeNotDecoded, "226 IPNET (Solaris)"),
        "tcpdump__ieee802.11_htc.pcap": .init(.linkTypeNotDecoded, "127 802.11 radiotap"),
        "tcpdump__ipoib.pcap": .init(.linkTypeNotDecoded, "242 IP over InfiniBand"),
        // A NULL header that is an EtherType, not an address family.
        "pcapplusplus__NullLoopback.pcap": .init(.loopbackHeuristic, "frame 3: header 0f 00 08 00"),
        "pcapplusplus__null_loopback.pcap": .init(.loopbackHeuristic, "frame 3: header 0f 00 08 00"),
        // Source routes.
        "pcapplusplus__ipv4-options.pcap": .init(.sourceRoute, "frames 6-7: NOP,SSRR 0.0.0.0 and NOP,LSRR 0.0.0.0"),
        // IPv6 packets tshark's conversation table leaves out.
        "pcapplusplus__ip6_fragments.pcap": .init(
            .ipv6PayloadNotDissected, "36 fragments of 4 datagrams: tshark counts the 4 first fragments"),
        "pcapplusplus__ipv6_opt_fragments.pcap": .init(
            .ipv6PayloadNotDissected, "4 fragments of 1 datagram: tshark counts the first"),
        "tcpdump__ipv6_mobility_1.pcap": .init(
            .ipv6PayloadNotDissected,
            "16 Mobility headers with next header 59, none malformed; tshark's table is empty"),
        "tcpdump__ipv6-too-long-jumbo.pcap": .init(
            .ipv6PayloadNotDissected, "jumbogram longer than its frame, next header 12 (PUP) shown as data"),
        // Malformed or cut IP headers.
        "pcapplusplus__ipv4-malformed.pcap": .init(.malformedHeader, "IPv4 total length 11, under the header length"),
        "tcpdump__ipv4_invalid_hdr_length.pcap": .init(.malformedHeader, "IPv4 header length 16"),
        "tcpdump__ip_printroute_asan.pcap": .init(.malformedHeader, "IPv4 header length 60 in a 46-byte payload"),
        "tcpdump__ip6_frag_asan.pcap": .init(.malformedHeader, "IPv6 fragment header cut by the snapshot length"),
        "tcpdump__ipv6-srh-tlv-pad1-padn-5-trunc.pcap": .init(
            .malformedHeader, "IPv6 routing header (type 4) of bad length, frame one byte short of the payload length"),
        "tcpdump__ipv6_frag6_negative_len.pcap": .init(
            .malformedHeader, "payload length 0 with a fragment header; tshark: exception in the fragment header"),
        "tcpdump__ipv6_missing_jumbo_payload_option.pcap": .init(
            .malformedHeader, "payload length 0 with no Jumbo Payload option; tshark: malformed"),
        "tcpdump__hoobr_rt6_print.pcap": .init(.malformedHeader, "IPv6 routing header cut by the snapshot length"),
        "tcpdump__ipv6-next-header-oobr-1.pcap": .init(
            .malformedHeader, "IPv6 routing header cut by the snapshot length"),
        "tcpdump__ipv6-rthdr-oobr.pcap": .init(.malformedHeader, "IPv6 routing header cut by the snapshot length"),
        "tcpdump__ipv6hdr-heapoverflow.pcap": .init(
            .malformedHeader, "IPv6 hop-by-hop header cut by the snapshot length"),
    ]
}
