import Foundation
import PathVerifyCore
import XCTest

final class PathCheckTests: XCTestCase {
    func findings(_ report: CheckReport, _ kind: FindingKind) -> [Finding] { report.findings.filter { $0.kind == kind } }

    /// Kernel defaults, no policy routing: eth2's address leaves by eth1, and each interface
    /// answers ARP for the other's address.
    func testMisconfiguredHostIsPredictedWrongBothWays() throws {
        let report = try Lab.check(Lab.misrouted, Lab.kernelDefaults)
        XCTAssertEqual(report.verdict, .mismatch)
        let egress = findings(report, .egressPredictedMismatch)
        XCTAssertEqual(egress.count, 1)
        XCTAssertEqual(egress.first?.address, "10.99.0.12")
        XCTAssertEqual(egress.first?.expected?.name, "eth2")
        XCTAssertEqual(egress.first?.actual?.name, "eth1")
        XCTAssertEqual(egress.first?.destination, "10.99.0.1")
        XCTAssertEqual(egress.first?.route, "10.99.0.0/24 dev eth1 table main metric 0 src 10.99.0.11")
        XCTAssertEqual(egress.first?.rules, ["32766: from all lookup main"])
        XCTAssertTrue(egress.first?.detail.contains("is listed before dev eth2") ?? false, egress.first?.detail ?? "")
        let ingress = findings(report, .ingressFluxRisk)
        XCTAssertEqual(Set(ingress.map { "\($0.address!) \($0.actual!.name)" }), ["10.99.0.11 eth2", "10.99.0.12 eth1"])
        XCTAssertEqual(report.subnets.map(\.status), [.unfixed])
        XCTAssertEqual(report.interfaces.map(\.answersFor), [["10.99.0.11", "10.99.0.12"], ["10.99.0.11", "10.99.0.12"]])
        XCTAssertEqual(report.predictions.map(\.verdict), [.ok, .mismatch])
    }

    func testPolicyRoutingAndARPSettingsAreClean() throws {
        let report = try Lab.check(Lab.policyRouted, Lab.arpFixed)
        XCTAssertEqual(report.findings, [])
        XCTAssertEqual(report.verdict, .ok)
        XCTAssertEqual(report.subnets.map(\.status), [.fixed])
        XCTAssertEqual(report.predictions.first { $0.source == Lab.a12 }?.rules.map(\.priority), [1002])
        XCTAssertEqual(report.interfaces.map(\.answersFor), [["10.99.0.11"], ["10.99.0.12"]])
    }

    func testRouteOnlyHalfFix() throws {
        let report = try Lab.check(Lab.policyRouted, Lab.kernelDefaults)
        XCTAssertEqual(report.subnets.map(\.status), [.routingOnly])
        XCTAssertEqual(findings(report, .egressPredictedMismatch), [])
        XCTAssertEqual(findings(report, .ingressFluxRisk).count, 2)
        XCTAssertTrue(report.subnets[0].statusText.hasPrefix("half fixed"))
    }

    func testARPOnlyHalfFix() throws {
        let report = try Lab.check(Lab.misrouted, Lab.arpFixed)
        XCTAssertEqual(report.subnets.map(\.status), [.arpOnly])
        XCTAssertEqual(findings(report, .ingressFluxRisk), [])
        XCTAssertEqual(findings(report, .egressPredictedMismatch).map(\.address), ["10.99.0.12"])
    }

    /// arp_ignore=1 with arp_announce=0 and no policy routing: nobody answers for the other's
    /// address, but requests for traffic from 10.99.0.12 leave eth1 naming 10.99.0.12.
    func testAnnouncingAnAddressFromTheWrongInterfaceIsAFluxRisk() throws {
        let conf = IPv4Conf(all: IPv4ConfValues(arpIgnore: 1), interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])
        let risks = findings(try Lab.check(Lab.misrouted, conf), .ingressFluxRisk)
        XCTAssertEqual(risks.map { "\($0.address!) \($0.actual!.name)" }, ["10.99.0.12 eth1"])
        XCTAssertTrue(risks[0].detail.contains("arp_announce=0 (all=0, eth1=0) sends ARP requests"), risks[0].detail)
    }

    /// rp_filter=1 without policy routing (T5): only eth1 answers for eth2's address.
    func testStrictReversePathPinsIngressToTheFirstInterface() throws {
        let strict = IPv4Conf(all: IPv4ConfValues(rpFilter: 1), interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])
        let risks = findings(try Lab.check(Lab.misrouted, strict), .ingressFluxRisk)
        let pinned = try XCTUnwrap(risks.first { $0.address == "10.99.0.12" })
        XCTAssertTrue(pinned.detail.hasPrefix("only eth1 answers ARP for 10.99.0.12 (eth2's address), eth2 does not"), pinned.detail)
        XCTAssertTrue(pinned.detail.contains("rp_filter=1 (all=1, eth2=0) drops the request"), pinned.detail)
        let fixes = try XCTUnwrap(pinned.remedies)
        XCTAssertEqual(fixes.count, 4, "dedicated network, policy routing, ARP settings, pin")
        XCTAssertEqual(fixes[2].commands.last, "sysctl -w net.ipv4.conf.all.rp_filter=2")
        XCTAssertTrue(fixes[3].what.hasPrefix("the fallback: pin the service to eth1 (10.99.0.11)"), fixes[3].what)
    }

    /// rp_filter=1 and arp_ignore=1 without policy routing (T4): nobody answers for eth2's address.
    func testNoInterfaceAnsweringIsReported() throws {
        let conf = IPv4Conf(
            all: IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2, rpFilter: 1),
            interfaces: ["eth1": IPv4ConfValues(), "eth2": IPv4ConfValues()])
        let risks = findings(try Lab.check(Lab.misrouted, conf), .ingressFluxRisk)
        XCTAssertEqual(risks.count, 1)
        XCTAssertNil(risks[0].actual)
        XCTAssertTrue(risks[0].detail.hasPrefix("no interface answers ARP for 10.99.0.12"), risks[0].detail)
    }

    /// The remedies of the misconfigured host's egress finding, word for word where they are commands.
    func testRemedyText() throws {
        let report = try Lab.check(Lab.misrouted, Lab.kernelDefaults)
        let fixes = try XCTUnwrap(findings(report, .egressPredictedMismatch).first?.remedies)
        XCTAssertEqual(fixes.count, 4)
        XCTAssertTrue(fixes[0].what.hasPrefix("a dedicated network: move eth2's service (10.99.0.12) to a subnet of its own"))
        XCTAssertEqual(
            fixes[1].commands,
            ["ip route add 10.99.0.0/24 dev eth2 src 10.99.0.12 table 103", "ip rule add from 10.99.0.12 lookup 103 priority 1003"])
        XCTAssertEqual(fixes[2].commands, ["sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2"])
        XCTAssertTrue(fixes[3].what.hasPrefix("the fallback: pin the service to eth1 (10.99.0.11), the interface the kernel picks for 10.99.0.0/24"))
    }

    /// A policy rule for the address exists but its table has no route: the remedy reuses the table.
    func testRemedyReusesAnExistingRule() throws {
        var kernel = Lab.misrouted
        kernel.ruleList.insert(RoutingRule(priority: 1002, source: IPPrefix("10.99.0.12/32")!, action: .lookup(102)), at: 1)
        kernel.routeList.append(Route(destination: IPPrefix("10.0.0.0/8")!, table: 107, interface: "eth1"))
        let fixes = try XCTUnwrap(findings(try Lab.check(kernel, Lab.arpFixed), .egressPredictedMismatch).first?.remedies)
        XCTAssertEqual(fixes[1].commands, ["ip route add 10.99.0.0/24 dev eth2 src 10.99.0.12 table 102"])
        XCTAssertTrue(fixes[1].what.contains("the rule \"1002: from 10.99.0.12 lookup 102\" is there"), fixes[1].what)
    }

    /// `ip link set eth1 down; up` re-adds eth1's route after eth2's: now eth1's address leaves by eth2.
    func testRouteOrderFlipIsPredicted() throws {
        let flipped = [Lab.connected("eth2", Lab.a12), Lab.connected("eth1", Lab.a11)]
        let kernel = FakeKernel(routeList: flipped) { _, _ in flipped[0] }
        let egress = findings(try Lab.check(kernel, Lab.arpFixed), .egressPredictedMismatch)
        XCTAssertEqual(egress.map { "\($0.address!) \($0.expected!.name)->\($0.actual!.name)" }, ["10.99.0.11 eth1->eth2"])
    }

    func testLinkdownRouteStillChosen() throws {
        let down = [Lab.connected("eth1", Lab.a11, linkDown: true), Lab.connected("eth2", Lab.a12)]
        let kernel = FakeKernel(routeList: down) { _, _ in down[0] }
        let report = try Lab.check(kernel, Lab.arpFixed)
        let linkdown = findings(report, .linkdownRoute)
        XCTAssertEqual(linkdown.map(\.address), ["10.99.0.11", "10.99.0.12"])
        XCTAssertTrue(linkdown[0].detail.contains("ignore_routes_with_linkdown=0 (all=0, eth1=0)"), linkdown[0].detail)
        XCTAssertEqual(linkdown[0].remedies?.last?.commands, ["sysctl -w net.ipv4.conf.eth1.ignore_routes_with_linkdown=1"])
    }

    func testIntentIsAskedFromItsEgressAddressToItsDestination() throws {
        let intent = Intent(
            name: "replication", selector: IntentSelector(destinations: [IPPrefix("10.99.0.22/32")!]), expectedEgress: "eth2")
        let report = try Lab.check(Lab.misrouted, Lab.arpFixed, config: Config(intents: [intent]))
        let asked = report.predictions.filter { $0.intent == "replication" }
        XCTAssertEqual(asked.map { "\($0.source)->\($0.destination)" }, ["10.99.0.12->10.99.0.22"])
        let finding = try XCTUnwrap(findings(report, .egressPredictedMismatch).first { $0.intent == "replication" })
        XCTAssertTrue(finding.detail.hasPrefix("traffic from 10.99.0.12 (intent replication) to 10.99.0.22 will leave by eth1, not eth2"))
    }

    func testIntentWithoutEgressIsANote() throws {
        let intent = Intent(name: "iscsi", selector: IntentSelector(ports: [3260...3260]))
        let report = try Lab.check(Lab.policyRouted, Lab.arpFixed, config: Config(intents: [intent]))
        XCTAssertTrue(report.notes.contains("intent iscsi names no egress interface: there is no route to predict"), "\(report.notes)")
    }

    func testSingleHomedHostHasNothingToPredict() throws {
        let host = [HostInterface(name: "eth1", ifindex: 2, addresses: [IPPrefix("10.99.0.11/24")!], isUp: true)]
        let report = try PathCheck.run(
            config: Config(), host: host, conf: Lab.kernelDefaults, kernel: Lab.misrouted, at: Timestamp(nanoseconds: 0))
        XCTAssertEqual(report.findings, [])
        XCTAssertEqual(report.predictions.count, 0)
    }

    func testReportRendersAndEncodes() throws {
        let report = try Lab.check(Lab.misrouted, Lab.kernelDefaults)
        let text = TextReport.render(report)
        XCTAssertTrue(text.hasPrefix("pathverify check: MISMATCH (3 findings)"), text)
        XCTAssertTrue(text.contains("not fixed: routing wrong, ARP at risk"), text)
        XCTAssertTrue(text.contains("        ip rule add from 10.99.0.12 lookup 103 priority 1003"), text)
        XCTAssertTrue(text.contains("FINDING kind=egress-predicted-mismatch direction=out address=10.99.0.12 expected=eth2 actual=eth1 destination=10.99.0.1"), text)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        XCTAssertEqual(json?["command"] as? String, "check")
        let subnets = json?["subnets"] as? [[String: Any]]
        XCTAssertEqual(subnets?.first?["status"] as? String, "unfixed")
        let predictions = json?["predictions"] as? [[String: Any]]
        XCTAssertEqual(predictions?.last?["table"] as? String, "main")
        let remedies = (json?["findings"] as? [[String: Any]])?.first?["remedies"] as? [[String: Any]]
        XCTAssertEqual(remedies?.count, 4)
    }
}
