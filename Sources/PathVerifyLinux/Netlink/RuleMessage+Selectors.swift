extension RuleMessage {
    /// The selectors `RoutingRule` does not model, as `ip rule` words (`tos 0x10`,
    /// `uidrange 1000-2000`, `ipproto tcp`, `sport 1000-2000`, `l3mdev`), in `ip rule`'s order.
    ///
    /// `suppress_ifgroup` is listed too: it is no selector, but like one it decides whether the
    /// rule's answer is used, and the model has no field for it. An attribute this code does not
    /// know may be a selector a newer kernel added, so it is listed as `attribute N` rather than
    /// dropped: a rule that may not apply must not look as if it always does.
    /// - Throws: `NetlinkDecodeError` if one of these attributes is short.
    func otherSelectors() throws(NetlinkDecodeError) -> [String] {
        var words: [String] = []
        if tos != 0 { words.append("tos " + Self.hex(UInt32(tos), digits: 2)) }
        if let dscp = try attributes.uint8(FibRules.dscp) {
            // Kernels with FRA_DSCP_MASK send the full mask (all six bits) for a plain `dscp N`.
            let mask = try attributes.uint8(FibRules.dscpMask).flatMap { $0 == 0x3F ? nil : $0 }
            words.append("dscp \(dscp)" + (mask.map { "/" + Self.hex(UInt32($0)) } ?? ""))
        }
        if let mask = try attributes.uint32(FibRules.firewallMask), mask != UInt32.max {
            words.append("fwmask " + Self.hex(mask))
        }
        if let l3mdev = try attributes.uint8(FibRules.l3mdev), l3mdev != 0 { words.append("l3mdev") }
        if let (start, end) = try attributes.uint32Pair(FibRules.uidRange) { words.append("uidrange \(start)-\(end)") }
        if let ipProtocol = try attributes.uint8(FibRules.ipProtocol) {
            words.append("ipproto " + (Self.protocolNames[ipProtocol] ?? String(ipProtocol)))
        }
        if let range = try attributes.uint16Pair(FibRules.sourcePortRange) {
            words.append("sport " + Self.ports(range, mask: try attributes.uint16(FibRules.sourcePortMask)))
        }
        if let range = try attributes.uint16Pair(FibRules.destinationPortRange) {
            words.append("dport " + Self.ports(range, mask: try attributes.uint16(FibRules.destinationPortMask)))
        }
        if let tunnel = try attributes.bigEndianUInt64(FibRules.tunnelID) { words.append("tun_id \(tunnel)") }
        if let flow = try attributes.uint32(FibRules.flow) {
            // Realms: the source realm in the high 16 bits, the destination realm in the low.
            let (from, to) = (flow >> 16, flow & 0xFFFF)
            words.append("realms " + (from == 0 ? "\(to)" : "\(from)/\(to)"))
        }
        if let label = try attributes.bigEndianUInt32(FibRules.flowLabel) {
            // The full mask (all 20 bits) is what a plain `flowlabel N` gets.
            let mask = try attributes.bigEndianUInt32(FibRules.flowLabelMask).flatMap { $0 == 0xF_FFFF ? nil : $0 }
            words.append("flowlabel " + Self.hex(label) + (mask.map { "/" + Self.hex($0) } ?? ""))
        }
        if let group = try attributes.uint32(FibRules.suppressInterfaceGroup), group != UInt32.max {
            words.append("suppress_ifgroup \(group)")
        }
        for attribute in attributes.all where !Self.known.contains(attribute.type) {
            words.append("attribute \(attribute.type)")
        }
        return words
    }

    /// Every attribute type read into the rule or its words.
    private static let known: Set<UInt16> = FibRules.nonSelecting.union(
        [
            FibRules.dscp, FibRules.dscpMask, FibRules.l3mdev, FibRules.uidRange, FibRules.ipProtocol,
            FibRules.sourcePortRange, FibRules.sourcePortMask, FibRules.destinationPortRange,
            FibRules.destinationPortMask, FibRules.tunnelID, FibRules.flow, FibRules.flowLabel,
            FibRules.flowLabelMask, FibRules.suppressInterfaceGroup,
        ].map(\.rawValue))

    /// The names /etc/protocols gives the protocols a rule is likely to name, as `ip rule` prints them.
    private static let protocolNames: [UInt8: String] = [
        1: "icmp", 6: "tcp", 17: "udp", 33: "dccp", 47: "gre", 50: "esp", 51: "ah", 58: "ipv6-icmp",
        132: "sctp", 136: "udplite",
    ]

    /// `443`, `1000-2000`, or with a partial mask `4096/0xff00`. Kernels with
    /// `FRA_SPORT_MASK`/`FRA_DPORT_MASK` (newer than 6.1; 6.18 does) send the full mask 0xffff with a single
    /// port, which is just that port.
    private static func ports(_ range: (UInt16, UInt16), mask: UInt16?) -> String {
        if let mask, mask != UInt16.max { return "\(range.0)/" + hex(UInt32(mask)) }
        return range.0 == range.1 ? "\(range.0)" : "\(range.0)-\(range.1)"
    }

    /// `0x10`; with `digits`, zero-filled to that many.
    private static func hex(_ value: UInt32, digits: Int = 0) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
