import Foundation
import PathVerifyCore
import PathVerifyTestSupport
import Testing

@testable import PathVerifyLinux

/// `ProcBondSource` on a fixture `/proc/net/bonding` directory, and on the host's own.
@Suite struct ProcBondSourceTests {
    /// An active-backup bond, assembled from the format strings of drivers/net/bonding/bond_procfs.c
    /// (gregkh/linux @ ddd664bb): `bond_version` ("Ethernet Channel Bonding Driver: v" UTS_RELEASE
    /// "\n", printed with "%s\n"), `bond_info_show_master` ("Bonding Mode: %s" with
    /// `bond_mode_name`, "Primary Slave: %s" + " (primary_reselect %s)", "\nCurrently Active
    /// Slave: %s\n", "MII Status: %s\n", the polling and delay lines) and `bond_info_show_slave`
    /// per slave ("\nSlave Interface: %s\n", "MII Status: %s\n", "Speed: %d Mbps\n", "Duplex:
    /// %s\n", "Link Failure Count: %u\n", "Permanent HW addr: %*phC\n", "Slave queue ID: %d\n").
    static let bond0 = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: fault-tolerance (active-backup)
        Primary Slave: eth0 (primary_reselect always)
        Currently Active Slave: eth0
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 0
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0

        Slave Interface: eth0
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:01
        Slave queue ID: 0

        Slave Interface: eth1
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 52:54:00:12:34:02
        Slave queue ID: 0

        """

    /// A balance-xor bond from the same format strings, plus "Transmit Hash Policy: %s (%d)\n".
    static let bond1 = """
        Ethernet Channel Bonding Driver: v6.1.0-18-amd64

        Bonding Mode: load balancing (xor)
        Transmit Hash Policy: layer3+4 (1)
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

        """

    @Test func readsEveryBondFileByName() throws {
        let root = try TemporaryDirectory()
        try root.write(Self.bond1, to: "bond1")
        try root.write(Self.bond0, to: "bond0")
        let bonds = try ProcBondSource(root: root.path).bonds()
        #expect(bonds.map(\.name) == ["bond0", "bond1"])
        #expect(bonds[0] == (try BondStatusParser.parse(Self.bond0, name: "bond0")))
        #expect(bonds[0].team?.policy == .activeBackup && bonds[0].primary == "eth0")
        #expect(bonds[1].team?.policy == .balanceXOR(.layer34) && bonds[1].slaves.map(\.name) == ["eth2"])
    }

    @Test func noBondingDirectoryMeansNoBonds() throws {
        #expect(try ProcBondSource(root: "/nonexistent/proc/net/bonding").bonds().isEmpty)
        let root = try TemporaryDirectory()
        #expect(try ProcBondSource(root: root.path).bonds().isEmpty, "loaded driver, no bonds")
        let file = try root.write("not a directory\n", to: "bonding")
        #expect(try ProcBondSource(root: file).bonds().isEmpty)
    }

    @Test func aMalformedFileNamesItsPathAndLine() throws {
        let root = try TemporaryDirectory()
        try root.write(Self.bond0, to: "bond0")
        try root.write(Self.bond1.replacingOccurrences(of: "layer3+4 (1)", with: "layer9 (9)"), to: "bond1")
        let error = #expect(throws: BondStatusError.self) { try ProcBondSource(root: root.path).bonds() }
        #expect(error?.description == root.path + "/bond1:4: unknown transmit hash policy 'layer9 (9)'")
    }

    @Test func anEntryThatCannotBeReadIsAnError() throws {
        // Unlike an absent directory, an entry that cannot be read is: here a directory (EISDIR).
        let root = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: root.path + "/bond0", withIntermediateDirectories: false)
        let error = #expect(throws: SysfsReadError.self) { try ProcBondSource(root: root.path).bonds() }
        #expect(error?.description == root.path + "/bond0: cannot read: Is a directory")
    }

    @Test func theHostsOwnBondsParse() throws {
        // Bonding is absent on the machine this was written on (no /proc/net/bonding): then no
        // bonds. Where the driver is loaded, every bond's file must parse.
        let bonds = try ProcBondSource().bonds()
        let present = access("/proc/net/bonding", F_OK) == 0
        #expect(present || bonds.isEmpty)
        for bond in bonds { #expect(!bond.name.isEmpty) }
    }
}
