import Testing

@testable import PathVerifyCore

/// `/proc/net/bonding/<bond>` texts, assembled line by line from the format strings of
/// drivers/net/bonding/bond_procfs.c (gregkh/linux @ ddd664bb; the mode names from bond_main.c
/// `bond_mode_name`, the option words from bond_options.c). Bonding cannot be loaded on the
/// machine these tests were written on, so no file was captured from a kernel; the values
/// (names, MACs, keys) are made up, the layout is the kernel's.
///
/// Where each line comes from:
/// - `bond_info_seq_show`: `seq_printf(seq, "%s\n", bond_version)` with `#define bond_version
///   "Ethernet Channel Bonding Driver: v" UTS_RELEASE "\n"`: the version line, then an empty line.
/// - `bond_info_show_master`:
///   - `"Bonding Mode: %s"` with `bond_mode_name(BOND_MODE(bond))`, then for active-backup with
///     fail_over_mac `" (fail_over_mac %s)"`, then `"\n"`;
///   - `bond_mode_uses_xmit_hash` (xor, 802.3ad, tlb/alb with tlb_dynamic_lb=0): `"Transmit Hash
///     Policy: %s (%d)\n"` (name from `bond_xmit_hashtype_tbl`, number);
///   - `bond_uses_primary` (active-backup, tlb, alb): `"Primary Slave: %s"` (name or "None"), with
///     a primary `" (primary_reselect %s)"`, then `"\nCurrently Active Slave: %s\n"` (name or "None");
///   - `"MII Status: %s\n"` (up/down), `"MII Polling Interval (ms): %d\n"`, `"Up Delay (ms): %d\n"`,
///     `"Down Delay (ms): %d\n"`, `"Peer Notification Delay (ms): %d\n"`;
///   - with arp_interval: `"ARP Polling Interval (ms): %d\n"`, `"ARP Missed Max: %u\n"`,
///     `"ARP IP target/s (n.n.n.n form):"` + `" %pI4"` joined by `","`, `"\n"`, the same for
///     `"NS IPv6 target/s (xx::xx form):"` + `" %pI6c"`;
///   - 802.3ad: `"\n802.3ad info\n"`, `"LACP active: %s\n"`, `"LACP rate: %s\n"`, `"Min links: %d\n"`,
///     `"Aggregator selection policy (ad_select): %s\n"`, and with CAP_NET_ADMIN `"System priority:
///     %d\n"`, `"System MAC address: %pM\n"`, then `"bond %s has no active aggregator\n"` or
///     `"Active Aggregator Info:\n"` + `"\tAggregator ID: %d\n"`, `"\tNumber of ports: %d\n"`,
///     `"\tActor Key: %d\n"`, `"\tPartner Key: %d\n"`, `"\tPartner Mac Address: %pM\n"`.
/// - `bond_info_show_slave`, once per slave in list order: `"\nSlave Interface: %s\n"`,
///   `"MII Status: %s\n"` (`bond_slave_link_status`: up, going down, down, going back),
///   `"Speed: %d Mbps\n"` or `"Speed: %s\n"` "Unknown", `"Duplex: %s\n"` (full/half/"Unknown"),
///   `"Link Failure Count: %u\n"`, `"Permanent HW addr: %*phC\n"`, `"Slave queue ID: %d\n"`; for
///   802.3ad `"Aggregator ID: %d\n"` (or `"Aggregator ID: N/A\n"`), `"Actor Churn State: %s\n"`,
///   `"Partner Churn State: %s\n"` (`bond_3ad_churn_desc`: monitoring, churned, none),
///   `"Actor Churned Count: %d\n"`, `"Partner Churned Count: %d\n"`, and with CAP_NET_ADMIN
///   `"details actor lacp pdu:\n"` + `"    system priority: %d\n"`, `"    system mac address: %pM\n"`,
///   `"    port key: %d\n"`, `"    port priority: %d\n"`, `"    port number: %d\n"`,
///   `"    port state: %d\n"`, then `"details partner lacp pdu:\n"` + the same with
///   `"    oper key: %d\n"` for the key.
enum BondFixtures {
    /// active-backup, primary eth0 (primary_reselect always) whose link is down (updelay 200 ms
    /// over miimon 100), so eth1 carries the traffic.
    static let activeBackup = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: fault-tolerance (active-backup)
        Primary Slave: eth0 (primary_reselect always)
        Currently Active Slave: eth1
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 200
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0

        Slave Interface: eth0
        MII Status: down
        Speed: Unknown
        Duplex: Unknown
        Link Failure Count: 3
        Permanent HW addr: 52:54:00:12:34:01
        Slave queue ID: 0

        Slave Interface: eth1
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 1
        Permanent HW addr: 52:54:00:12:34:02
        Slave queue ID: 0

        """

    /// balance-xor with xmit_hash_policy layer2+3 (BOND_XMIT_POLICY_LAYER23 = 2); xor uses no
    /// primary, so neither primary line is printed.
    static let balanceXOR = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: load balancing (xor)
        Transmit Hash Policy: layer2+3 (2)
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 0
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0

        Slave Interface: eth2
        MII Status: up
        Speed: 25000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:03
        Slave queue ID: 0

        Slave Interface: eth3
        MII Status: going back
        Speed: 25000 Mbps
        Duplex: full
        Link Failure Count: 2
        Permanent HW addr: 52:54:00:12:34:04
        Slave queue ID: 0

        """

    /// 802.3ad, layer3+4 (1), read as root: the system and partner details are shown. eth4 and
    /// eth5 reach one switch and form aggregator 1, the active one; eth6 reaches another switch
    /// (another partner MAC) and sits alone in aggregator 2.
    static let lacp = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: IEEE 802.3ad Dynamic link aggregation
        Transmit Hash Policy: layer3+4 (1)
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 0
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0

        802.3ad info
        LACP active: on
        LACP rate: fast
        Min links: 0
        Aggregator selection policy (ad_select): stable
        System priority: 65535
        System MAC address: 52:54:00:aa:bb:cc
        Active Aggregator Info:
        \tAggregator ID: 1
        \tNumber of ports: 2
        \tActor Key: 15
        \tPartner Key: 1
        \tPartner Mac Address: 00:1c:73:00:00:99

        Slave Interface: eth4
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:05
        Slave queue ID: 0
        Aggregator ID: 1
        Actor Churn State: none
        Partner Churn State: none
        Actor Churned Count: 0
        Partner Churned Count: 0
        details actor lacp pdu:
            system priority: 65535
            system mac address: 52:54:00:aa:bb:cc
            port key: 15
            port priority: 255
            port number: 1
            port state: 63
        details partner lacp pdu:
            system priority: 32768
            system mac address: 00:1c:73:00:00:99
            oper key: 1
            port priority: 32768
            port number: 17
            port state: 63

        Slave Interface: eth5
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:06
        Slave queue ID: 0
        Aggregator ID: 1
        Actor Churn State: none
        Partner Churn State: none
        Actor Churned Count: 0
        Partner Churned Count: 0
        details actor lacp pdu:
            system priority: 65535
            system mac address: 52:54:00:aa:bb:cc
            port key: 15
            port priority: 255
            port number: 2
            port state: 63
        details partner lacp pdu:
            system priority: 32768
            system mac address: 00:1c:73:00:00:99
            oper key: 1
            port priority: 32768
            port number: 18
            port state: 63

        Slave Interface: eth6
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:07
        Slave queue ID: 0
        Aggregator ID: 2
        Actor Churn State: monitoring
        Partner Churn State: monitoring
        Actor Churned Count: 0
        Partner Churned Count: 0
        details actor lacp pdu:
            system priority: 65535
            system mac address: 52:54:00:aa:bb:cc
            port key: 15
            port priority: 255
            port number: 3
            port state: 7
        details partner lacp pdu:
            system priority: 32768
            system mac address: 00:1c:73:00:00:aa
            oper key: 1
            port priority: 32768
            port number: 5
            port state: 7

        """

    /// balance-rr: no hash, no primary; pathverify makes no `Team` of it.
    static let balanceRR = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: load balancing (round-robin)
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 0
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0

        Slave Interface: eth7
        MII Status: up
        Speed: 1000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:08
        Slave queue ID: 0

        Slave Interface: eth8
        MII Status: going down
        Speed: 1000 Mbps
        Duplex: half
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:09
        Slave queue ID: 0

        """

    /// active-backup with fail_over_mac active, ARP monitoring (miimon 0) of two IPv4 and one
    /// IPv6 target, and no primary ("None", so no primary_reselect).
    static let arpMonitored = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)
        Primary Slave: None
        Currently Active Slave: eth10
        MII Status: up
        MII Polling Interval (ms): 0
        Up Delay (ms): 0
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0
        ARP Polling Interval (ms): 1000
        ARP Missed Max: 2
        ARP IP target/s (n.n.n.n form): 192.0.2.1, 192.0.2.2
        NS IPv6 target/s (xx::xx form): 2001:db8::1

        Slave Interface: eth10
        MII Status: up
        Speed: 1000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:0a
        Slave queue ID: 0

        Slave Interface: eth11
        MII Status: up
        Speed: 1000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:0b
        Slave queue ID: 0

        """

    /// An 802.3ad bond as a Linux 3.x kernel printed it (torvalds/linux @ 02e24078,
    /// bond_procfs.c; the version line from bonding.h of that time, `DRV_DESCRIPTION ": v"
    /// DRV_VERSION " (" DRV_RELDATE ")\n"`): no "Peer Notification Delay", "LACP active", "Min links", system lines or
    /// churn lines; "Aggregator ID" before "Slave queue ID"; `"Speed: %d Mbps"` even for an
    /// unknown speed (-1). The active aggregator is shown to every reader.
    static let lacpLinux3 = """
        Ethernet Channel Bonding Driver: v3.7.1 (April 27, 2011)

        Bonding Mode: IEEE 802.3ad Dynamic link aggregation
        Transmit Hash Policy: layer2 (0)
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 0
        Down Delay (ms): 0

        802.3ad info
        LACP rate: slow
        Aggregator selection policy (ad_select): stable
        Active Aggregator Info:
        \tAggregator ID: 3
        \tNumber of ports: 1
        \tActor Key: 33
        \tPartner Key: 1
        \tPartner Mac Address: 00:1c:73:00:00:99

        Slave Interface: eth0
        MII Status: up
        Speed: 1000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:01
        Aggregator ID: 3
        Slave queue ID: 0

        Slave Interface: eth1
        MII Status: down
        Speed: -1 Mbps
        Duplex: half
        Link Failure Count: 1
        Permanent HW addr: 52:54:00:12:34:02
        Aggregator ID: 4
        Slave queue ID: 0

        """

    static let all: [(name: String, text: String)] = [
        ("bond0", activeBackup), ("bond1", balanceXOR), ("bond2", lacp), ("bond3", balanceRR),
        ("bond4", arpMonitored), ("bond5", lacpLinux3),
    ]

    /// The fixture's bond, parsed; a test failure (not a crash) if it does not parse.
    static func bond(_ name: String) throws -> BondStatus {
        let text = try #require(all.first { $0.name == name }?.text)
        return try BondStatusParser.parse(text, name: name)
    }

    /// `text` with the first occurrence of `target` replaced (no Foundation in this target).
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        guard !target.isEmpty else { return text }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix(target) {
                return String(text[..<index]) + replacement + String(text[index...].dropFirst(target.count))
            }
            index = text.index(after: index)
        }
        return text
    }
}

@Suite struct BondStatusParserTests {
    static func mac(_ text: String) -> MACAddress? { MACAddress(text) }

    @Test func activeBackupWithItsPrimaryDown() throws {
        let bond = try BondFixtures.bond("bond0")
        #expect(
            bond
                == BondStatus(
                    name: "bond0", mode: .activeBackup, primary: "eth0", primaryReselect: .always,
                    activeSlave: "eth1", miiUp: true,
                    slaves: [
                        BondSlave(
                            name: "eth0", miiStatus: .down, linkFailureCount: 3,
                            permanentMAC: Self.mac("52:54:00:12:34:01"), queueID: 0),
                        BondSlave(
                            name: "eth1", miiStatus: .up, speedMegabitsPerSecond: 10_000, fullDuplex: true,
                            linkFailureCount: 1, permanentMAC: Self.mac("52:54:00:12:34:02"), queueID: 0),
                    ]))
        #expect(bond.usableSlaves.map(\.name) == ["eth1"])
        var team = Team(
            name: "bond0", uplinks: ["eth0", "eth1"], policy: .activeBackup, failback: true, primary: "eth0",
            interfaces: ["bond0"])
        team.activeUplink = "eth1"  // the kernel's current slave: where the timeline starts
        #expect(bond.team == team)
    }

    @Test func balanceXORWithLayer23() throws {
        let bond = try BondFixtures.bond("bond1")
        #expect(bond.mode == .balanceXOR && bond.hashPolicy == .layer23)
        #expect(bond.primary == nil && bond.activeSlave == nil && bond.primaryReselect == nil)
        #expect(bond.slaves.map(\.miiStatus) == [.up, .goingBack])
        #expect(bond.slaves.map(\.speedMegabitsPerSecond) == [25_000, 25_000])
        // A slave going back waits out updelay: not yet usable.
        #expect(bond.usableSlaves.map(\.name) == ["eth2"])
        #expect(bond.team?.policy == .balanceXOR(.layer23))
        #expect(bond.team?.uplinks == ["eth2", "eth3"] && bond.team?.primary == nil)
    }

    @Test func lacpWithTwoAggregatorsUsesTheActiveOne() throws {
        let bond = try BondFixtures.bond("bond2")
        #expect(bond.mode == .lacp && bond.hashPolicy == .layer34)
        let aggregator = BondAggregator(
            id: 1, numberOfPorts: 2, actorKey: 15, partnerKey: 1, partnerMAC: Self.mac("00:1c:73:00:00:99"))
        #expect(bond.activeAggregator == .active(aggregator))
        #expect(bond.slaves.map(\.name) == ["eth4", "eth5", "eth6"])
        #expect(bond.slaves.map(\.aggregatorID) == [1, 1, 2])
        #expect(bond.slaves.allSatisfy { $0.miiStatus == .up && $0.queueID == 0 })
        #expect(bond.usableSlaves.map(\.name) == ["eth4", "eth5"], "eth6 is up but in aggregator 2")
        #expect(bond.team?.policy == .lacp(.layer34))
        #expect(bond.team?.uplinks == ["eth4", "eth5", "eth6"] && bond.team?.interfaces == ["bond2"])
    }

    @Test func lacpReadWithoutCapNetAdminHasNoActiveAggregator() throws {
        // Newer kernels print the system lines, the active aggregator and the lacp pdu details only
        // to CAP_NET_ADMIN: drop them as an unprivileged read would.
        var skipping = false
        let unprivileged = BondFixtures.lacp.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            if line.hasPrefix("System ") || line.hasPrefix("Active Aggregator Info:") || line.hasPrefix("details ") {
                skipping = line.hasPrefix("Active") || line.hasPrefix("details")
                return false
            }
            if skipping && (line.hasPrefix("\t") || line.hasPrefix(" ")) { return false }
            skipping = false
            return true
        }.joined(separator: "\n")
        #expect(!unprivileged.contains("Partner Mac Address") && !unprivileged.contains("port state"))
        let bond = try BondStatusParser.parse(unprivileged, name: "bond2")
        #expect(bond.activeAggregator == .notReported)
        #expect(bond.slaves.map(\.aggregatorID) == [1, 1, 2])
        // Unknown active aggregator: every slave that is up is taken as usable.
        #expect(bond.usableSlaves.map(\.name) == ["eth4", "eth5", "eth6"])
    }

    @Test func lacpWithNoActiveAggregatorCanSendNothing() throws {
        let text = """
            Ethernet Channel Bonding Driver: v6.1.0-18-amd64

            Bonding Mode: IEEE 802.3ad Dynamic link aggregation
            Transmit Hash Policy: layer2 (0)
            MII Status: down
            MII Polling Interval (ms): 100
            Up Delay (ms): 0
            Down Delay (ms): 0
            Peer Notification Delay (ms): 0

            802.3ad info
            LACP active: on
            LACP rate: slow
            Min links: 0
            Aggregator selection policy (ad_select): stable
            System priority: 65535
            System MAC address: 52:54:00:aa:bb:cc
            bond bond6 has no active aggregator

            Slave Interface: eth9
            MII Status: up
            Speed: 10000 Mbps
            Duplex: full
            Link Failure Count: 0
            Permanent HW addr: 52:54:00:12:34:0c
            Slave queue ID: 0
            Aggregator ID: N/A

            """
        let bond = try BondStatusParser.parse(text, name: "bond6")
        #expect(bond.activeAggregator == .noneActive && !bond.miiUp)
        #expect(bond.slaves.first?.aggregatorID == nil)
        #expect(bond.usableSlaves.isEmpty)
        #expect(bond.team?.policy == .lacp(.layer2))
    }

    @Test func balanceRRIsNotATeam() throws {
        let bond = try BondFixtures.bond("bond3")
        #expect(bond.mode == .balanceRR && bond.hashPolicy == nil && bond.primary == nil)
        #expect(bond.slaves.map(\.miiStatus) == [.up, .goingDown])
        #expect(bond.slaves.map(\.fullDuplex) == [true, false])
        #expect(bond.usableSlaves.map(\.name) == ["eth7"])
        #expect(bond.team == nil)
    }

    @Test func arpMonitoredActiveBackupWithFailOverMACAndNoPrimary() throws {
        let bond = try BondFixtures.bond("bond4")
        #expect(bond.mode == .activeBackup && bond.failOverMAC == "active")
        #expect(bond.primary == nil && bond.primaryReselect == nil && bond.activeSlave == "eth10")
        #expect(bond.slaves.map(\.name) == ["eth10", "eth11"])
        // No primary: Linux reselects on a slave's return only for the primary, so no failback.
        #expect(bond.team?.primary == nil && bond.team?.failback == false && bond.team?.activeUplink == "eth10")
    }

    @Test func linux3FormatReadsAlike() throws {
        let bond = try BondFixtures.bond("bond5")
        #expect(bond.mode == .lacp && bond.hashPolicy == .layer2)
        let aggregator = BondAggregator(
            id: 3, numberOfPorts: 1, actorKey: 33, partnerKey: 1, partnerMAC: Self.mac("00:1c:73:00:00:99"))
        #expect(bond.activeAggregator == .active(aggregator))
        #expect(bond.slaves.map(\.aggregatorID) == [3, 4])
        #expect(bond.slaves.map(\.queueID) == [0, 0])
        #expect(bond.slaves.map(\.speedMegabitsPerSecond) == [1_000, nil], "-1 Mbps is SPEED_UNKNOWN")
        #expect(bond.usableSlaves.map(\.name) == ["eth0"])
    }

    @Test func primaryReselectDecidesFailback() throws {
        var bond = try BondFixtures.bond("bond0")
        bond.primaryReselect = .failure
        #expect(bond.team?.failback == false)
        // better: back only to a primary faster than the others.
        bond.primaryReselect = .better
        bond.slaves[0].speedMegabitsPerSecond = 10_000
        #expect(bond.team?.failback == false, "as fast as eth1: stays on eth1")
        bond.slaves[0].speedMegabitsPerSecond = 25_000
        #expect(bond.team?.failback == true)
    }

    @Test(arguments: BondMode.allCases)
    func modeNamesRoundTrip(_ mode: BondMode) {
        #expect(BondMode(name: mode.name) == mode)
        #expect(BondMode(procName: mode.procName) == mode)
    }

    @Test func modeNamesAreTheKernels() {
        #expect(
            BondMode.allCases.map(\.name) == [
                "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb",
            ])
        #expect(BondMode.activeBackup.procName == "fault-tolerance (active-backup)")
        #expect(BondMode.lacp.procName == "IEEE 802.3ad Dynamic link aggregation")
        #expect(BondMode(name: "802.3ad")?.rawValue == 4)
    }

    @Test func everyOtherModeParsesAndHasNoTeam() throws {
        for mode in [BondMode.broadcast, .balanceTLB, .balanceALB] {
            let text = BondFixtures.replacing(
                "load balancing (round-robin)", with: mode.procName, in: BondFixtures.balanceRR)
            let bond = try BondStatusParser.parse(text, name: "bond3")
            #expect(bond.mode == mode)
            #expect(bond.team == nil)
        }
    }

    struct BadLine: CustomTestStringConvertible, Sendable {
        var replace: String
        var with: String
        var line: Int?
        var message: String
        var testDescription: String { message }
    }

    static let badLines: [BadLine] = [
        BadLine(
            replace: "Bonding Mode: fault-tolerance (active-backup)", with: "Bonding Mode: unknown", line: 3,
            message: "unknown bonding mode 'unknown'"),
        BadLine(
            replace: "Primary Slave: eth0 (primary_reselect always)",
            with: "Primary Slave: eth0 (primary_reselect sometimes)", line: 4,
            message: "unknown primary_reselect in 'eth0 (primary_reselect sometimes)'"),
        BadLine(
            replace: "Currently Active Slave: eth1\nMII Status: up",
            with: "Currently Active Slave: eth1\nMII Status: dn",
            line: 6, message: "the bond's MII status 'dn' is neither up nor down"),
        BadLine(
            replace: "MII Status: down", with: "MII Status: flapping", line: 13,
            message: "unknown MII status 'flapping' of slave eth0"),
        BadLine(
            replace: "Speed: 10000 Mbps", with: "Speed: 10 Gbps", line: 22,
            message: "unknown speed '10 Gbps' of slave eth1"),
        BadLine(
            replace: "Link Failure Count: 3", with: "Link Failure Count: many", line: 16,
            message: "slave eth0's link failure count 'many' is not a number"),
        BadLine(
            replace: "Slave Interface: eth1", with: "Slave Interface:", line: 20,
            message: "'' is not a slave's name"),
        BadLine(
            replace: "Bonding Mode: fault-tolerance (active-backup)\n", with: "", line: nil,
            message: "no 'Bonding Mode:' line, so not a bonding driver's status"),
        BadLine(
            replace: "Slave Interface: eth1\nMII Status: up\n", with: "Slave Interface: eth1\n", line: 20,
            message: "slave eth1 has no 'MII Status:' line"),
    ]

    @Test(arguments: badLines)
    func errorsNameTheFileAndLine(_ bad: BadLine) throws {
        #expect(BondFixtures.activeBackup.contains(bad.replace))
        let text = BondFixtures.replacing(bad.replace, with: bad.with, in: BondFixtures.activeBackup)
        let error = #expect(throws: BondStatusError.self) { try BondStatusParser.parse(text, name: "bond0") }
        #expect(error == BondStatusError(file: "/proc/net/bonding/bond0", line: bad.line, message: bad.message))
    }

    @Test func errorDescriptions() throws {
        let text = BondFixtures.replacing("layer2+3 (2)", with: "srcmac (6)", in: BondFixtures.balanceXOR)
        let error = #expect(throws: BondStatusError.self) {
            try BondStatusParser.parse(text, name: "bond1", file: "/tmp/fixture/bond1")
        }
        #expect(error?.description == "/tmp/fixture/bond1:4: unknown transmit hash policy 'srcmac (6)'")
        #expect(
            BondStatusError(file: "/proc/net/bonding/bond1", line: nil, message: "no 'MII Status:' line for the bond")
                .description == "/proc/net/bonding/bond1: no 'MII Status:' line for the bond")
    }

    @Test func unknownLinesAndOddSpacingAreTolerated() throws {
        // A future kernel's extra lines, in the master and in a slave block, and CRLF line ends.
        var text = BondFixtures.replacing(
            "Peer Notification Delay (ms): 0\n", with: "Peer Notification Delay (ms): 0\nCoupled Control: on\n",
            in: BondFixtures.activeBackup)
        text = BondFixtures.replacing(
            "Slave queue ID: 0\n", with: "Slave queue ID: 0\nSlave prio: 10\n\tsomething: new\n", in: text)
        text = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        #expect(try BondStatusParser.parse(text, name: "bond0") == BondFixtures.bond("bond0"))
    }

    /// Every prefix of every fixture (a file cut short) parses or throws, never crashes; what
    /// parses has a prefix of the fixture's slaves.
    @Test(arguments: BondFixtures.all.map(\.name))
    func everyPrefixParsesOrThrows(_ name: String) throws {
        let full = try BondFixtures.bond(name)
        let text = try #require(BondFixtures.all.first { $0.name == name }?.text)
        var parsed = 0
        var index = text.startIndex
        while true {
            do {
                let bond = try BondStatusParser.parse(String(text[..<index]), name: name)
                let names = bond.slaves.map(\.name)
                // A slave cut before its MII status is an error, so every slave read is whole.
                #expect(
                    full.slaves.map(\.name).starts(with: names),
                    "prefix of \(text.distance(from: text.startIndex, to: index)) characters")
                parsed += 1
            } catch {
                // A file cut short may lack what a bond must have; that is the error's job.
            }
            guard index < text.endIndex else { break }
            index = text.index(after: index)
        }
        #expect(parsed > 0)
    }

    /// A small deterministic generator (Knuth's MMIX constants), so garbage is the same every run.
    struct LinearCongruential {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
    }

    @Test func garbageThrowsOrParsesButNeverCrashes() {
        var inputs = [
            "", "\n", "\n\n\n", ":", "::::", " : ", "\t\t", "Slave Interface:", "Slave Interface: eth0",
            "Bonding Mode:", "Bonding Mode: fault-tolerance (active-backup) (", "Bonding Mode: (", "Bonding Mode: )",
            "Primary Slave: (primary_reselect", "Primary Slave: eth0 (", "Primary Slave: eth0 )",
            "Speed:  Mbps", "Speed: Mbps", "Speed: 99999999999999999999999 Mbps", "Aggregator ID: -",
            "Active Aggregator Info:\n\tAggregator ID: x", "Active Aggregator Info:\n\tAggregator ID:",
            "details actor lacp pdu:\n    port state: x", "bond  has no active aggregator", "bond",
            "Transmit Hash Policy:", "Transmit Hash Policy: (1)", "\u{0}\u{1}\u{FFFD}", "é:ü\nß: ∂",
            "Bonding Mode: load balancing (xor)\nMII Status: up\nSlave Interface: a\nMII Status: up\nSlave Interface: a",
        ]
        // Deterministic random bytes, decoded as UTF-8 (invalid sequences become U+FFFD), and
        // random picks of fixture lines.
        var generator = LinearCongruential(state: 0x5EED)
        let lines = BondFixtures.all.flatMap { $0.text.split(separator: "\n").map(String.init) } + ["", "\t", "    "]
        for _ in 0..<300 {
            let bytes = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            inputs.append(String(decoding: bytes, as: UTF8.self))
            let picked = (0..<Int(generator.next() % 40)).map { _ in
                lines[Int(generator.next() % UInt64(lines.count))]
            }
            inputs.append(picked.joined(separator: "\n"))
        }
        var errors = 0
        for input in inputs {
            do { _ = try BondStatusParser.parse(input, name: "bond9") } catch { errors += 1 }
        }
        #expect(errors > 0)
    }
}
