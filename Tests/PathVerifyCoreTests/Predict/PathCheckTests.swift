import Foundation
@testable import PathVerifyCore
import Testing

struct PathCheckTests {
    func findings(_ report: CheckReport, _ kind: FindingKind) -> [Finding] { report.findings.filter { $0.kind == kind } }

    /// Kernel defaults, no policy routing: eth2's address leaves by eth1, and each interface
    /// answers ARP for the other's address.
    @Test func misconfiguredHostIsPredictedWrongBothWays() throws {
        let report = try Lab.check(Lab.misrouted, Lab.kernelDefaults)
        #expect(report.verdict == .mismatch)
        let egress = findings(report, .egressPredictedMismatch)
        #expect(egress.count == 1)
        #expect(egress.first?.address == "10.99.0.12")
        #expect(egress.first?.expected?.name == "eth2")
        #expect(egress.first?.actual?.name == "eth1")
        #expect(egress.first?.destination == "10.99.0.1")
        #expect(egress.first?.route == "10.99.0.0/24 dev eth1 table main metric 0 src 10.99.0.11")
        #expect(egress.first?.rules == ["32766: from all lookup main"])
        #expect(egress.first?.detail.contains("is listed before dev eth2") ?? false, "\(egress.first?.detail ?? "")")
        let ingress = findings(report, .ingressFluxRisk)
        #expect(Set(ingress.map { "\($0.address!) \($0.actual!.name)" }) == ["10.99.0.11 eth2", "10.99.0.12 eth1"])
        #expect(report.subnets.map(\.status) == [.unfixed])
        #expect(report.interfaces.map(\.answersFor) == [["10.99.0.11", "10.99.0.12"], ["10.99.0.11", "10.99.0.12"]])
        #expect(report.predictions.map(\.verdict) == [.ok, .mismatch])
    }

    @Test func policyRoutingAndARPSettingsAreClean() throws {
        let report = try Lab.check(Lab.policyRouted, Lab.arpFixed)
        #expect(report.findings == [])
        #expect(report.verdict == .ok)
        #expect(report.subnets.map(\.status) == [.fixed])
        #expect(report.predictions.first { $0.source == Lab.a12 }?.rules.map(\.priority) == [1002])
        #expect(report.interfaces.map(\.answersFor) == [["10.99.0.11"], ["10.99.0.12"]])
    }

    @Test func routeOnlyHalfFix() throws {
        let report = try Lab.check(Lab.policyRouted, Lab.kernelDefaults)
        #expect(report.subnets.map(\.status) == [.routingOnly])
        #expect(findings(report, .egressPredictedMismatch) == [])
        #expect(findings(report, .ingressFluxRisk).count == 2)
        #expect(report.subnets[0].statusText.hasPrefix("half fixed"))
    }

    @Test func aRPOnlyHalfFix() throws {
        let report = try Lab.check(Lab.misrouted, Lab.arpFixed)
        #expect(report.subnets.map(\.status) == [.arpOnly])
        #expect(findings(report, .ingressFluxRisk) == [])
        #expect(findings(report, .egressPredictedMismatch).map(\.address) == ["10.99.0.12"])
    }

    /// arp_ignore=1 with arp_announce=0 and no policy routing: nobody answers for the other's
    /// address, but requests for traffic from 10.99.0.12 leave eth1 naming 10.99.0.12.
    @Test func announcingAnAddressFromTheWrongInterfaceIsAFluxRisk() throws {
        let conf = IPv4Conf(all: IPv4ConfValues(arpIgnore: 1), interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])
        let risks = findings(try Lab.check(Lab.misrouted, conf), .ingressFluxRisk)
        #expect(risks.map { "\($0.address!) \($0.actual!.name)" } == ["10.99.0.12 eth1"])
        #expect(risks[0].detail.contains("arp_announce=0 (all=0, eth1=0) sends ARP requests"), "\(risks[0].detail)")
    }

    /// rp_filter=1 without policy routing (T5): only eth1 answers for eth2's address.
    @Test func strictReversePathPinsIngressToTheFirstInterface() throws {
        let strict = IPv4Conf(all: IPv4ConfValues(rpFilter: 1), interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])
        let risks = findings(try Lab.check(Lab.misrouted, strict), .ingressFluxRisk)
        let pinned = try #require(risks.first { $0.address == "10.99.0.12" })
        #expect(pinned.detail.hasPrefix("only eth1 answers ARP for 10.99.0.12 (eth2's address), eth2 does not"), "\(pinned.detail)")
        #expect(pinned.detail.contains("rp_filter=1 (all=1, eth2=0) drops the request"), "\(pinned.detail)")
        let fixes = try #require(pinned.remedies)
        #expect(fixes.count == 4, "dedicated network, policy routing, ARP settings, pin")
        // Loose on each interface beats strict on all: the kernel takes the larger.
        #expect(fixes[2].commands.last?.hasSuffix("net.ipv4.conf.eth1.rp_filter=2 net.ipv4.conf.eth2.rp_filter=2") == true)
        #expect(fixes[3].what.hasPrefix("the fallback: pin the service to eth1 (10.99.0.11)"), "\(fixes[3].what)")
    }

    /// rp_filter=1 and arp_ignore=1 without policy routing (T4): nobody answers for eth2's address.
    @Test func noInterfaceAnsweringIsReported() throws {
        let conf = IPv4Conf(
            all: IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2, rpFilter: 1),
            interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])
        let risks = findings(try Lab.check(Lab.misrouted, conf), .ingressFluxRisk)
        #expect(risks.count == 1)
        #expect(nil == risks[0].actual)
        #expect(risks[0].detail.hasPrefix("no interface answers ARP for 10.99.0.12"), "\(risks[0].detail)")
    }

    /// The remedies of the misconfigured host's egress finding, word for word where they are commands.
    @Test func remedyText() throws {
        let report = try Lab.check(Lab.misrouted, Lab.kernelDefaults)
        let fixes = try #require(findings(report, .egressPredictedMismatch).first?.remedies)
        #expect(fixes.count == 4)
        #expect(fixes[0].what.hasPrefix("a dedicated network: move eth2's service (10.99.0.12) to a subnet of its own"))
        // Reference §1.6: one table per interface, one rule per address, both addresses.
        #expect(
            fixes[1].commands == [
                "ip route add 10.99.0.0/24 dev eth1 src 10.99.0.11 table 101", "ip rule add from 10.99.0.11 lookup 101 priority 1001",
                "ip route add 10.99.0.0/24 dev eth2 src 10.99.0.12 table 102", "ip rule add from 10.99.0.12 lookup 102 priority 1002",
            ])
        #expect(
            fixes[2].commands == [
                "sysctl -w net.ipv4.conf.eth1.arp_ignore=1 net.ipv4.conf.eth1.arp_announce=2 net.ipv4.conf.eth2.arp_ignore=1 "
                    + "net.ipv4.conf.eth2.arp_announce=2"
            ])
        #expect(fixes[3].what.hasPrefix("the fallback: pin the service to eth1 (10.99.0.11), the interface the kernel picks for 10.99.0.0/24"))
    }

    /// A policy rule for 10.99.0.12 exists but its table has no route: the remedy keeps the rule
    /// and fills its table. Table 101 and priority 1001 are taken by something else, so eth1
    /// gets the next ones free, once for the whole check.
    @Test func remedyKeepsAnExistingRuleAndSkipsWhatIsInUse() throws {
        var kernel = Lab.misrouted
        kernel.ruleList.insert(RoutingRule(priority: 1002, source: IPPrefix("10.99.0.12/32")!, action: .lookup(102)), at: 1)
        kernel.ruleList.insert(RoutingRule(priority: 1001, source: IPPrefix("192.0.2.0/24")!, action: .lookup(101)), at: 1)
        kernel.routeList.append(Route(destination: IPPrefix("192.0.2.0/24")!, table: 101, interface: "eth1"))
        let report = try Lab.check(kernel, Lab.kernelDefaults)
        let fixes = try #require(findings(report, .egressPredictedMismatch).first?.remedies)
        let expected = [
            "ip route add 10.99.0.0/24 dev eth1 src 10.99.0.11 table 103", "ip rule add from 10.99.0.11 lookup 103 priority 1003",
            "ip route add 10.99.0.0/24 dev eth2 src 10.99.0.12 table 102",
        ]
        #expect(fixes[1].commands == expected)
        // The ARP finding's policy routing is the same plan, not a second one.
        let arp = try #require(findings(report, .ingressFluxRisk).first { $0.address == "10.99.0.12" }?.remedies)
        #expect(arp[1].commands == expected)
    }

    /// A VLAN interface's dots are slashes in a sysctl key.
    @Test func sysctlKeysOfVLANInterfaces() {
        #expect(RemedyWriter.key("eth0.100", "arp_ignore") == "net.ipv4.conf.eth0/100.arp_ignore")
        #expect(RemedyWriter.key("eth1", "ignore_routes_with_linkdown", family: "ipv6") == "net.ipv6.conf.eth1.ignore_routes_with_linkdown")
    }

    /// `ip link set eth1 down; up` re-adds eth1's route after eth2's: now eth1's address leaves by eth2.
    @Test func routeOrderFlipIsPredicted() throws {
        let flipped = [Lab.connected("eth2", Lab.a12), Lab.connected("eth1", Lab.a11)]
        let kernel = FakeKernel(routeList: flipped) { _, _ in flipped[0] }
        let egress = findings(try Lab.check(kernel, Lab.arpFixed), .egressPredictedMismatch)
        #expect(egress.map { "\($0.address!) \($0.expected!.name)->\($0.actual!.name)" } == ["10.99.0.11 eth1->eth2"])
    }

    @Test func linkdownRouteStillChosen() throws {
        let down = [Lab.connected("eth1", Lab.a11, linkDown: true), Lab.connected("eth2", Lab.a12)]
        let kernel = FakeKernel(routeList: down) { _, _ in down[0] }
        let report = try Lab.check(kernel, Lab.arpFixed)
        let linkdown = findings(report, .linkdownRoute)
        #expect(linkdown.map(\.address) == ["10.99.0.11", "10.99.0.12"])
        #expect(linkdown[0].detail.contains("ignore_routes_with_linkdown=0 (all=0, eth1=0)"), "\(linkdown[0].detail)")
        #expect(linkdown[0].remedies?.last?.commands == ["sysctl -w net.ipv4.conf.eth1.ignore_routes_with_linkdown=1"])
    }

    @Test func intentIsAskedFromItsEgressAddressToItsDestination() throws {
        let intent = Intent(
            name: "replication", selector: IntentSelector(destinations: [IPPrefix("10.99.0.22/32")!]), expectedEgress: "eth2")
        let report = try Lab.check(Lab.misrouted, Lab.arpFixed, config: Config(intents: [intent]))
        let asked = report.predictions.filter { $0.intent == "replication" }
        #expect(asked.map { "\($0.source)->\($0.destination)" } == ["10.99.0.12->10.99.0.22"])
        let finding = try #require(findings(report, .egressPredictedMismatch).first { $0.intent == "replication" })
        #expect(finding.detail.hasPrefix("traffic from 10.99.0.12 (intent replication) to 10.99.0.22 will leave by eth1, not eth2"))
    }

    @Test func intentWithoutEgressIsANote() throws {
        let intent = Intent(name: "iscsi", selector: IntentSelector(ports: [3260...3260]))
        let report = try Lab.check(Lab.policyRouted, Lab.arpFixed, config: Config(intents: [intent]))
        #expect(report.notes.contains("intent iscsi names no egress interface: there is no route to predict"), "\(report.notes)")
    }

    @Test func singleHomedHostHasNothingToPredict() throws {
        let host = [HostInterface(name: "eth1", ifindex: 2, addresses: [IPPrefix("10.99.0.11/24")!], isUp: true)]
        let report = try PathCheck.run(
            config: Config(), host: host, conf: Lab.kernelDefaults, kernel: Lab.misrouted, at: Timestamp(nanoseconds: 0))
        #expect(report.findings == [])
        #expect(report.predictions.count == 0)
    }

    @Test func reportRendersAndEncodes() throws {
        let report = try Lab.check(Lab.misrouted, Lab.kernelDefaults)
        let text = TextReport.render(report)
        #expect(text.hasPrefix("pathverify check: MISMATCH (3 findings)"), "\(text)")
        #expect(text.contains("not fixed: routing wrong, ARP at risk"), "\(text)")
        #expect(text.contains("        ip rule add from 10.99.0.12 lookup 102 priority 1002"), "\(text)")
        #expect(text.contains("FINDING kind=egress-predicted-mismatch direction=out address=10.99.0.12 expected=eth2 actual=eth1 destination=10.99.0.1"), "\(text)")
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        #expect(json?["command"] as? String == "check")
        let subnets = json?["subnets"] as? [[String: Any]]
        #expect(subnets?.first?["status"] as? String == "unfixed")
        let predictions = json?["predictions"] as? [[String: Any]]
        #expect(predictions?.last?["table"] as? String == "main")
        let remedies = (json?["findings"] as? [[String: Any]])?.first?["remedies"] as? [[String: Any]]
        #expect(remedies?.count == 4)
    }

    /// ignore_routes_with_linkdown set on eth1 without carrier: the lookup passes eth1's route
    /// over, and the explanation says so rather than that eth2's was listed first.
    @Test func aPassedOverRouteIsExplained() throws {
        let down = [Lab.connected("eth1", Lab.a11, linkDown: true), Lab.connected("eth2", Lab.a12)]
        let kernel = FakeKernel(routeList: down) { _, _ in down[1] }
        let finding = try #require(findings(try Lab.check(kernel, Lab.arpFixed), .egressPredictedMismatch).first)
        #expect(finding.address == "10.99.0.11")
        #expect(finding.detail.contains("is the only route that matches; listed before it, dev eth1 is passed over: its link is down"), "\(finding.detail)")
    }

    /// With intents, the intents say what is expected: the sweep of shared addresses is not
    /// reported (a service pinned to the winning interface is then clean), but ARP still is.
    @Test func intentsReplaceTheSweep() throws {
        let pinned = Intent(name: "replication", selector: IntentSelector(destinations: [IPPrefix("10.99.0.22/32")!]), expectedEgress: "eth1")
        let report = try Lab.check(Lab.misrouted, Lab.arpFixed, config: Config(intents: [pinned]))
        #expect(report.predictions.map(\.intent) == ["replication"])
        #expect(report.findings == [])
    }

    /// A lookup that fails (an address removed during the check) is a note; the rest stands.
    @Test func aFailedLookupIsANote() throws {
        struct Gone: Error, CustomStringConvertible { var description: String { "the source is not local" } }
        struct Failing: RouteSource {
            func routes() throws -> [Route] { Lab.mainRoutes }
            func rules() throws -> [RoutingRule] { FakeKernel.defaultRules }
            func lookup(destination: IPAddress, source: IPAddress) throws -> Route? {
                if source == Lab.a12 { throw Gone() }
                return Lab.mainRoutes[0]
            }
        }
        let report = try PathCheck.run(
            config: Config(), host: Lab.host, conf: Lab.arpFixed, kernel: Failing(), at: Timestamp(nanoseconds: 0))
        #expect(report.predictions.map(\.source) == [Lab.a11])
        #expect(report.notes.contains("the route from 10.99.0.12 to 10.99.0.1 could not be asked: the source is not local"))
    }

    /// IPv6 has no ARP flux (NDP answers on the holder only): routing alone decides its status.
    @Test func anIPv6SharedSubnetIsJudgedOnRoutingAlone() throws {
        let subnet = IPPrefix("2001:db8::/64")!
        let host = [
            HostInterface(name: "eth1", ifindex: 2, addresses: [IPPrefix("2001:db8::11/64")!], isUp: true),
            HostInterface(name: "eth2", ifindex: 3, addresses: [IPPrefix("2001:db8::12/64")!], isUp: true),
        ]
        let first = Route(destination: subnet, metric: 256, interface: "eth1")
        let kernel = FakeKernel(routeList: [first, Route(destination: subnet, metric: 256, interface: "eth2")]) { _, _ in first }
        let report = try PathCheck.run(config: Config(), host: host, conf: IPv4Conf(), kernel: kernel, at: Timestamp(nanoseconds: 0))
        #expect(report.findings.map(\.kind) == [.egressPredictedMismatch])
        #expect(report.findings.first?.remedies?[1].commands.last == "ip -6 rule add from 2001:db8::12 lookup 102 priority 1002")
        #expect(report.subnets.map(\.arp) == ["n/a"])
        #expect(report.subnets.first?.statusText == "not fixed: routing wrong")
        #expect(report.interfaces.isEmpty)
    }
}
