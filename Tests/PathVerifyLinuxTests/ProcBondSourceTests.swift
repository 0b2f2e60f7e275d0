import Foundation
import PathVerifyCore
import PathVerifyTestSupport
import Testing

@testable import PathVerifyLinux

/// `ProcBondSource` on a fixture `/proc/net/bonding` directory, and on the host's own.
@Suite struct ProcBondSourceTests {
    /// The fixtures are `BondFixtures`' texts, assembled from the format strings of bond_procfs.c.
    @Test func readsEveryBondFileByName() throws {
        let root = try TemporaryDirectory()
        try root.write(BondFixtures.balanceXOR, to: "bond1")
        try root.write(BondFixtures.activeBackup, to: "bond0")
        let bonds = try ProcBondSource(root: root.path).bonds()
        #expect(bonds.map(\.name) == ["bond0", "bond1"])
        #expect(bonds[0] == (try BondStatusParser.parse(BondFixtures.activeBackup, name: "bond0")))
        #expect(bonds[0].team?.policy == .activeBackup && bonds[0].primary == "eth0")
        #expect(bonds[1].team?.policy == .balanceXOR(.layer23) && bonds[1].slaves.map(\.name) == ["eth2", "eth3"])
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
        try root.write(BondFixtures.activeBackup, to: "bond0")
        try root.write(BondFixtures.balanceXOR.replacingOccurrences(of: "layer2+3 (2)", with: "layer9 (9)"), to: "bond1")
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
