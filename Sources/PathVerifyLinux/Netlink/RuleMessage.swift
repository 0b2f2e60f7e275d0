import PathVerifyCore

/// A rule message (`RTM_NEWRULE`): `struct fib_rule_hdr` (linux/fib_rules.h) and its attributes.
struct RuleMessage: Sendable {
    /// `struct fib_rule_hdr`: family, dst_len, src_len, tos, table, res1, res2, action (u8 each), flags u32.
    static let headerLength = 12

    var family: UInt8
    var destinationLength: UInt8
    var sourceLength: UInt8
    var tos: UInt8
    /// The table when it fits a byte; `FRA_TABLE` carries all of it.
    var table: UInt8
    /// `FR_ACT_*`.
    var action: UInt8
    /// `FIB_RULE_*`.
    var flags: UInt32
    var attributes: NetlinkAttributes

    /// Reads the header and attributes of a rule message.
    /// - Throws: `NetlinkDecodeError` if the header or an attribute is cut short.
    init(decoding message: NetlinkMessage) throws(NetlinkDecodeError) {
        let context = "\(message.type)"
        self = try NetlinkBytes.read(message.payload) { (reader) throws(NetlinkDecodeError) in
            guard let family = reader.readUInt8(), let destinationLength = reader.readUInt8(),
                let sourceLength = reader.readUInt8(), let tos = reader.readUInt8(), let table = reader.readUInt8(),
                reader.skip(2),  // res1, res2
                let action = reader.readUInt8(), let flags = reader.readUInt32(NetlinkBytes.hostOrder),
                let rest = reader.readBytes(reader.remaining)
            else {
                throw NetlinkDecodeError(
                    field: "fib_rule_hdr of \(context)",
                    reason: .truncated(needed: Self.headerLength, available: message.payload.count))
            }
            return RuleMessage(
                family: family, destinationLength: destinationLength, sourceLength: sourceLength, tos: tos,
                table: table, action: action, flags: flags,
                attributes: try NetlinkAttributes(parsing: Array(rest), context: context))
        }
    }

    private init(
        family: UInt8, destinationLength: UInt8, sourceLength: UInt8, tos: UInt8, table: UInt8, action: UInt8,
        flags: UInt32, attributes: NetlinkAttributes
    ) {
        self.family = family
        self.destinationLength = destinationLength
        self.sourceLength = sourceLength
        self.tos = tos
        self.table = table
        self.action = action
        self.flags = flags
        self.attributes = attributes
    }

    /// The rule this message describes; `nil` for families other than IPv4 and IPv6.
    /// - Throws: `NetlinkDecodeError` if an attribute is short or a prefix length has no address.
    func rule() throws(NetlinkDecodeError) -> RoutingRule? {
        guard family == AddressFamily.ipv4 || family == AddressFamily.ipv6 else { return nil }
        let table = try attributes.uint32(FibRules.table) ?? UInt32(table)
        let action: RoutingRule.Action
        switch self.action {
        case FibRules.actionToTable: action = .lookup(table)
        case FibRules.actionGoto:
            // The kernel always sends the target of a goto; without one the rule is only its code.
            action = try attributes.uint32(FibRules.gotoTarget).map { .goto($0) } ?? .other(self.action)
        case FibRules.actionNop: action = .nop
        case FibRules.actionBlackhole: action = .blackhole
        case FibRules.actionUnreachable: action = .unreachable
        case FibRules.actionProhibit: action = .prohibit
        default: action = .other(self.action)
        }
        // The kernel sends FRA_SUPPRESS_PREFIXLEN always, -1 meaning unset.
        let suppress = try attributes.uint32(FibRules.suppressPrefixLength).flatMap {
            $0 == UInt32.max ? nil : Int(Int32(bitPattern: $0))
        }
        return RoutingRule(
            isIPv6: family == AddressFamily.ipv6, priority: try attributes.uint32(FibRules.priority) ?? 0,
            source: try prefix(FibRules.source, length: sourceLength, lengthName: "src_len"),
            destination: try prefix(FibRules.destination, length: destinationLength, lengthName: "dst_len"),
            inputInterface: attributes.string(FibRules.inputInterface),
            outputInterface: attributes.string(FibRules.outputInterface),
            fwmark: try attributes.uint32(FibRules.firewallMark), isInverted: flags & FibRules.flagInvert != 0,
            action: action, suppressPrefixLength: suppress, otherSelectors: try otherSelectors())
    }

    /// `FRA_SRC` or `FRA_DST` with the header's length; `nil` for length 0 (`from all`), for which
    /// the kernel sends no address.
    private func prefix(
        _ type: NetlinkAttributeType, length: UInt8, lengthName: String
    ) throws(NetlinkDecodeError) -> IPPrefix? {
        guard length > 0 else { return nil }
        guard let address = try attributes.address(type, family: family) else {
            throw NetlinkDecodeError(
                field: "fib_rule_hdr of \(attributes.context)",
                reason: .invalid("\(lengthName) is \(length) but \(type.name) is missing"))
        }
        guard Int(length) <= address.bitWidth else {
            throw NetlinkDecodeError(
                field: "fib_rule_hdr of \(attributes.context)",
                reason: .invalid("\(lengthName) is \(length), longer than the address"))
        }
        return IPPrefix(address: address, length: Int(length))
    }

    /// The `fib_rule_hdr` of a dump request for every rule of `family`.
    static func dumpRequest(family: UInt8) -> [UInt8] {
        [family] + [UInt8](repeating: 0, count: headerLength - 1)
    }
}
