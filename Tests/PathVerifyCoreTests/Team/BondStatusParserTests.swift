import PathVerifyTestSupport
import Testing

@testable import PathVerifyCore

extension BondFixtures {
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
