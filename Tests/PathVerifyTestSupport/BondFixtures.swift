import PathVerifyCore

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
public enum BondFixtures {
    /// active-backup, primary eth0 (primary_reselect always) whose link is down (updelay 200 ms
    /// over miimon 100), so eth1 carries the traffic.
    public static let activeBackup = """
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
    public static let balanceXOR = """
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
    public static let lacp = """
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
    public static let balanceRR = """
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
    public static let arpMonitored = """
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
    public static let lacpLinux3 = """
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

    public static let all: [(name: String, text: String)] = [
        ("bond0", activeBackup), ("bond1", balanceXOR), ("bond2", lacp), ("bond3", balanceRR),
        ("bond4", arpMonitored), ("bond5", lacpLinux3),
    ]
}
