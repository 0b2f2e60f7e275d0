import PathVerifyCore
import Testing

struct IPv4ConfTests {
    /// include/linux/inetdevice.h: MAXCONF for arp_ignore, arp_announce, rp_filter.
    @Test func theLargerOfAllAndTheInterfaceCounts() {
        let conf = IPv4Conf(
            all: IPv4ConfValues(arpIgnore: 1, arpAnnounce: 0, rpFilter: 2),
            interfaces: ["eth1": IPv4ConfValues(arpIgnore: 0, arpAnnounce: 2, rpFilter: 1)])
        let effective = conf.effective("eth1")
        #expect(effective.arpIgnore == 1)
        #expect(effective.arpAnnounce == 2)
        #expect(effective.rpFilter == 2, "loose on all beats strict on the interface: the larger value")
    }

    /// ORCONF for arp_filter and ignore_routes_with_linkdown: either one set turns it on.
    @Test func eitherSetTurnsOnArpFilterAndIgnoreLinkdown() {
        let onAll = IPv4Conf(all: IPv4ConfValues(arpFilter: 1), interfaces: ["eth1": IPv4ConfValues()])
        #expect(onAll.effective("eth1").arpFilter == 1)
        let onInterface = IPv4Conf(interfaces: ["eth1": IPv4ConfValues(ignoreRoutesWithLinkdown: 1)])
        #expect(onInterface.effective("eth1").ignoreRoutesWithLinkdown == 1)
        #expect(onInterface.effective("eth1").arpFilter == 0)
    }

    /// `default` is what a new interface starts with; it never combines with a read interface.
    @Test func defaultIsNotCombined() {
        let conf = IPv4Conf(defaults: IPv4ConfValues(arpIgnore: 2), interfaces: ["eth1": IPv4ConfValues()])
        #expect(conf.effective("eth1").arpIgnore == 0)
        #expect(conf.effective("eth9").arpIgnore == 2, "an interface not read counts as a new one")
        #expect(conf.explain("arp_ignore", \.arpIgnore, on: "eth1") == "arp_ignore=0 (all=0, eth1=0)")
    }

    /// The reference's experiment, T1–T6: who answers a who-has for eth2's address.
    @Test func whoAnswersARP() {
        func answering(_ conf: IPv4Conf, routeBack: String?) -> [String] {
            ["eth1", "eth2"].filter {
                ARPAnswer(interface: $0, address: Lab.a12, owner: "eth2", routeBack: routeBack, conf: conf).answers
            }
        }
        func on(_ values: IPv4ConfValues) -> IPv4Conf { IPv4Conf(interfaces: ["eth1": values, "eth2": values]) }
        #expect(answering(on(IPv4ConfValues()), routeBack: "eth1") == ["eth1", "eth2"], "T1: defaults, flux")
        #expect(answering(on(IPv4ConfValues(arpIgnore: 1)), routeBack: "eth1") == ["eth2"], "T2: arp_ignore=1")
        #expect(answering(on(IPv4ConfValues(arpIgnore: 1, rpFilter: 1)), routeBack: "eth1") == [], "T4: rp_filter without PBR")
        #expect(answering(on(IPv4ConfValues(arpIgnore: 1, rpFilter: 1)), routeBack: "eth2") == ["eth2"], "T4b: with PBR")
        #expect(answering(on(IPv4ConfValues(rpFilter: 1)), routeBack: "eth1") == ["eth1"], "T5: only the first answers")
        #expect(answering(on(IPv4ConfValues(rpFilter: 2)), routeBack: "eth1") == ["eth1", "eth2"], "T5b: loose")
        #expect(answering(on(IPv4ConfValues(arpFilter: 1)), routeBack: "eth1") == ["eth1"], "T6: arp_filter without PBR")
        #expect(answering(on(IPv4ConfValues(arpFilter: 1)), routeBack: "eth2") == ["eth2"], "T6b: with PBR")
        #expect(answering(on(IPv4ConfValues(arpIgnore: 3)), routeBack: "eth1") == ["eth1", "eth2"], "3 answers for global addresses")
        #expect(answering(on(IPv4ConfValues(arpIgnore: 8)), routeBack: "eth2") == [], "8 never answers")
    }
}

struct DefaultNoteTests {
    /// Fixed on each interface but not on `all` or `default`: a re-created interface would answer for all.
    @Test func aFixOnEachInterfaceAloneIsNoted() throws {
        let perInterface = IPv4Conf(
            interfaces: ["eth1": IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2), "eth2": IPv4ConfValues(arpIgnore: 1, arpAnnounce: 2)])
        #expect(try Lab.check(Lab.policyRouted, perInterface).notes.contains { $0.hasPrefix("net.ipv4.conf.default.arp_ignore is 0") })
        #expect(try !Lab.check(Lab.policyRouted, Lab.arpFixed).notes.contains { $0.hasPrefix("net.ipv4.conf.default") })
        #expect(try !Lab.check(Lab.policyRouted, Lab.kernelDefaults).notes.contains { $0.hasPrefix("net.ipv4.conf.default") })
    }
}
