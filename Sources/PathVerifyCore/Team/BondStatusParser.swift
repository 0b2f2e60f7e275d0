/// Reads the text of `/proc/net/bonding/<bond>` into a `BondStatus`.
///
/// The format is built by drivers/net/bonding/bond_procfs.c: `bond_info_show_master` prints
/// `Key: value` lines for the bond (the 802.3ad "Active Aggregator Info" fields indented by a
/// tab), then `bond_info_show_slave` prints a block per slave that starts with
/// "Slave Interface:" (its 802.3ad "details … lacp pdu" lines indented by four spaces). Lines
/// the parser does not know are skipped, so older and newer kernels read alike: older ones
/// lack "Peer Notification Delay", "LACP active", the churn lines and "Unknown" speeds; newer
/// ones show the system and partner details only to readers with CAP_NET_ADMIN.
public enum BondStatusParser {
    /// Parses one bond's file.
    ///
    /// - Parameters:
    ///   - text: the file's whole text.
    ///   - name: the bond's name, which is the file's name.
    ///   - file: the path errors name; `/proc/net/bonding/<name>` when not given.
    /// - Throws: `BondStatusError` when the text lacks the bond's mode or MII status, or a value
    ///   pathverify relies on (mode, hash policy, primary, link states, speeds, counts,
    ///   aggregator IDs) is not in the kernel's words.
    public static func parse(_ text: String, name: String, file: String? = nil) throws(BondStatusError) -> BondStatus {
        var reader = Reader(file: file ?? "/proc/net/bonding/" + name)
        // Split at "\r\n" too: Swift takes it as one character, not as "\r" then "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, line) in lines.enumerated() {
            try reader.read(line, number: index + 1)
        }
        return try reader.finish(name: name)
    }

    /// Which part of the file the lines belong to.
    enum Section {
        case master
        /// The tab-indented lines after "Active Aggregator Info:".
        case activeAggregator
        case slave
        /// The space-indented lines after "details actor lacp pdu:" or "details partner lacp pdu:".
        case slaveDetails
    }

    struct Reader {
        let file: String
        var section = Section.master
        var mode: BondMode?
        var failOverMAC: String?
        var hashPolicy: BondHashPolicy?
        var primary: String?
        var primaryReselect: BondPrimaryReselect?
        var activeSlave: String?
        var miiUp: Bool?
        var noActiveAggregator = false
        var aggregatorID: Int?
        var aggregatorPorts = 0
        var actorKey = 0
        var partnerKey = 0
        var partnerMAC: MACAddress?
        var slaves: [BondSlave] = []
        /// For each slave: the line of its "Slave Interface:", and whether it had an MII status.
        var slaveLines: [(line: Int, sawMIIStatus: Bool)] = []

        init(file: String) { self.file = file }

        func error(_ line: Int?, _ message: String) -> BondStatusError {
            BondStatusError(file: file, line: line, message: message)
        }

        mutating func read(_ raw: Substring, number: Int) throws(BondStatusError) {
            let indented = raw.first == " " || raw.first == "\t"
            let line = Self.trimmed(raw)
            if line.isEmpty { return }
            let (key, value) = Self.keyAndValue(line)
            if key == "Slave Interface" {
                guard Self.isInterfaceName(value) else { throw error(number, "'\(value)' is not a slave's name") }
                slaves.append(BondSlave(name: String(value), miiStatus: .unknown))
                slaveLines.append((number, false))
                section = .slave
                return
            }
            switch section {
            case .activeAggregator where indented:
                return try readAggregator(key, value, number: number)
            case .activeAggregator:
                section = .master
            case .slaveDetails where indented:
                return
            case .slaveDetails:
                section = .slave
            case .master, .slave:
                break
            }
            if section == .master {
                try readMaster(line, key, value, number: number)
            } else {
                try readSlave(key, value, number: number)
            }
        }

        mutating func readMaster(_ line: Substring, _ key: Substring, _ value: Substring, number: Int)
            throws(BondStatusError)
        {
            switch key {
            case "Bonding Mode":
                guard let (mode, detail) = Self.mode(value) else {
                    throw error(number, "unknown bonding mode '\(value)'")
                }
                self.mode = mode
                if let detail, detail.hasPrefix("fail_over_mac ") {
                    failOverMAC = String(detail.dropFirst("fail_over_mac ".count))
                }
            case "Transmit Hash Policy":
                // "layer3+4 (1)": the name, then the number.
                let policyName = value.prefix { $0 != " " }
                guard let policy = BondHashPolicy(name: String(policyName)) else {
                    throw error(number, "unknown transmit hash policy '\(value)'")
                }
                hashPolicy = policy
            case "Primary Slave":
                // "None", or "eth0 (primary_reselect always)" (kernels before 2.6.31: "eth0").
                if value == "None" { return }
                let slave = value.prefix { $0 != " " }
                guard Self.isInterfaceName(slave) else { throw error(number, "'\(value)' is not a primary slave") }
                primary = String(slave)
                let rest = Self.trimmed(value.dropFirst(slave.count))
                guard !rest.isEmpty else { return }
                guard rest.hasPrefix("(primary_reselect "), rest.hasSuffix(")"),
                    let reselect = BondPrimaryReselect(
                        rawValue: String(rest.dropFirst("(primary_reselect ".count).dropLast()))
                else { throw error(number, "unknown primary_reselect in '\(value)'") }
                primaryReselect = reselect
            case "Currently Active Slave":
                if value == "None" { return }
                guard Self.isInterfaceName(value) else { throw error(number, "'\(value)' is not an active slave") }
                activeSlave = String(value)
            case "MII Status":
                switch value {
                case "up": miiUp = true
                case "down": miiUp = false
                default: throw error(number, "the bond's MII status '\(value)' is neither up nor down")
                }
            case "Active Aggregator Info":
                section = .activeAggregator
            default:
                // "bond0 has no active aggregator" (bond_info_show_master, 802.3ad).
                if line.hasPrefix("bond "), line.hasSuffix(" has no active aggregator") { noActiveAggregator = true }
            }
        }

        mutating func readAggregator(_ key: Substring, _ value: Substring, number: Int) throws(BondStatusError) {
            switch key {
            case "Aggregator ID": aggregatorID = try integer(value, "the active aggregator's ID", number: number)
            case "Number of ports":
                aggregatorPorts = try integer(value, "the active aggregator's number of ports", number: number)
            case "Actor Key": actorKey = try integer(value, "the active aggregator's actor key", number: number)
            case "Partner Key": partnerKey = try integer(value, "the active aggregator's partner key", number: number)
            case "Partner Mac Address": partnerMAC = MACAddress(String(value))
            default: break
            }
        }

        mutating func readSlave(_ key: Substring, _ value: Substring, number: Int) throws(BondStatusError) {
            // Only called after a "Slave Interface:" line, so there is a last slave.
            guard let index = slaves.indices.last else { return }
            let name = slaves[index].name
            switch key {
            case "MII Status":
                guard let status = BondLinkStatus(rawValue: String(value)) else {
                    throw error(number, "unknown MII status '\(value)' of slave \(name)")
                }
                slaves[index].miiStatus = status
                slaveLines[index].sawMIIStatus = true
            case "Speed":
                // "10000 Mbps"; "Unknown" since Linux 4.x, "-1 Mbps" (SPEED_UNKNOWN) before.
                if value == "Unknown" { return }
                guard value.hasSuffix(" Mbps"), let speed = Int(value.dropLast(" Mbps".count)) else {
                    throw error(number, "unknown speed '\(value)' of slave \(name)")
                }
                slaves[index].speedMegabitsPerSecond = speed > 0 ? speed : nil
            case "Duplex":
                slaves[index].fullDuplex = value == "full" ? true : value == "half" ? false : nil
            case "Link Failure Count":
                slaves[index].linkFailureCount = try integer(
                    value, "slave \(name)'s link failure count", number: number)
            case "Permanent HW addr":
                slaves[index].permanentMAC = MACAddress(String(value))
            case "Slave queue ID":
                slaves[index].queueID = Int(value)
            case "Aggregator ID":
                if value == "N/A" { return }
                slaves[index].aggregatorID = try integer(value, "slave \(name)'s aggregator ID", number: number)
            case "details actor lacp pdu", "details partner lacp pdu":
                section = .slaveDetails
            default:
                break
            }
        }

        func integer(_ value: Substring, _ what: String, number: Int) throws(BondStatusError) -> Int {
            guard let integer = Int(value) else { throw error(number, "\(what) '\(value)' is not a number") }
            return integer
        }

        func finish(name: String) throws(BondStatusError) -> BondStatus {
            guard let mode else {
                throw error(nil, "no 'Bonding Mode:' line, so not a bonding driver's status")
            }
            guard let miiUp else { throw error(nil, "no 'MII Status:' line for the bond") }
            if let missing = slaveLines.firstIndex(where: { !$0.sawMIIStatus }) {
                throw error(slaveLines[missing].line, "slave \(slaves[missing].name) has no 'MII Status:' line")
            }
            var activeAggregator = BondActiveAggregator.notReported
            if let aggregatorID {
                activeAggregator = .active(
                    BondAggregator(
                        id: aggregatorID, numberOfPorts: aggregatorPorts, actorKey: actorKey, partnerKey: partnerKey,
                        partnerMAC: partnerMAC))
            } else if noActiveAggregator {
                activeAggregator = .noneActive
            }
            return BondStatus(
                name: name, mode: mode, failOverMAC: failOverMAC, hashPolicy: hashPolicy, primary: primary,
                primaryReselect: primaryReselect, activeSlave: activeSlave, miiUp: miiUp,
                activeAggregator: activeAggregator, slaves: slaves)
        }

        /// The mode whose `/proc` name the value is, or starts, with what follows in parentheses
        /// (" (fail_over_mac active)").
        static func mode(_ value: Substring) -> (BondMode, detail: Substring?)? {
            for mode in BondMode.allCases {
                if value == mode.procName { return (mode, nil) }
                let open = mode.procName + " ("
                if value.hasPrefix(open), value.hasSuffix(")") {
                    return (mode, value.dropFirst(open.count).dropLast())
                }
            }
            return nil
        }

        /// "Key: value" split at the first colon, both trimmed; a line without a colon is all key.
        static func keyAndValue(_ line: Substring) -> (Substring, Substring) {
            guard let colon = line.firstIndex(of: ":") else { return (line, "") }
            return (trimmed(line[..<colon]), trimmed(line[line.index(after: colon)...]))
        }

        static func trimmed(_ text: Substring) -> Substring {
            let start = text.drop { $0.isWhitespace }
            return start.dropLast(start.reversed().prefix { $0.isWhitespace }.count)
        }

        /// Not empty and without whitespace, as the kernel's `dev_valid_name` requires.
        static func isInterfaceName(_ text: Substring) -> Bool {
            !text.isEmpty && !text.contains { $0.isWhitespace }
        }
    }
}

/// A `/proc/net/bonding/<bond>` file whose text is not in the kernel's format.
public struct BondStatusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's path.
    public var file: String
    /// The line (from 1) that was wrong; `nil` when the file lacks something.
    public var line: Int?
    /// What was wrong.
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `/proc/net/bonding/bond0:3: unknown bonding mode 'x'`.
    public var description: String {
        if let line { "\(file):\(line): \(message)" } else { "\(file): \(message)" }
    }
}
