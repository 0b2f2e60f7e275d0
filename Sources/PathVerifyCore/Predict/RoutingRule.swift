/// One policy routing rule (`ip rule`): which table a lookup tries, in priority order.
public struct RoutingRule: Hashable, Sendable, CustomStringConvertible {
    public enum Action: Hashable, Sendable {
        /// `lookup TABLE`.
        case lookup(UInt32)
        /// `goto PRIORITY`: continue with the first rule at or after that priority.
        case goto(UInt32)
        case nop, blackhole, unreachable, prohibit
        case other(UInt8)
    }

    public var isIPv6: Bool
    /// Lower is tried first; the kernel's defaults are 0 (local), 32766 (main), 32767 (default).
    public var priority: UInt32
    /// `from PREFIX`; `nil` is `from all`.
    public var source: IPPrefix?
    /// `to PREFIX`; `nil` is any destination.
    public var destination: IPPrefix?
    public var inputInterface: String?
    public var outputInterface: String?
    public var fwmark: UInt32?
    /// `not`: the rule applies when its selector does not match.
    public var isInverted: Bool
    public var action: Action
    /// `suppress_prefixlength N`: a route from the table is refused if its prefix is this short or shorter.
    public var suppressPrefixLength: Int?
    /// Selectors this model does not evaluate (`uidrange 1000-1000`, `ipproto tcp`, `tos 0x10`,
    /// `l3mdev`): such a rule may or may not apply to a given socket.
    public var otherSelectors: [String]

    public init(
        isIPv6: Bool = false, priority: UInt32, source: IPPrefix? = nil, destination: IPPrefix? = nil,
        inputInterface: String? = nil, outputInterface: String? = nil, fwmark: UInt32? = nil, isInverted: Bool = false,
        action: Action, suppressPrefixLength: Int? = nil, otherSelectors: [String] = []
    ) {
        self.isIPv6 = isIPv6
        self.priority = priority
        self.source = source
        self.destination = destination
        self.inputInterface = inputInterface
        self.outputInterface = outputInterface
        self.fwmark = fwmark
        self.isInverted = isInverted
        self.action = action
        self.suppressPrefixLength = suppressPrefixLength
        self.otherSelectors = otherSelectors
    }

    /// The table a `lookup` rule sends the lookup to.
    public var table: UInt32? {
        if case .lookup(let table) = action { return table }
        return nil
    }

    /// As `ip rule` prints it: `1002: from 10.99.0.12 lookup 102`.
    public var description: String { "\(priority): \(text)" }

    /// The rule without its priority: `from 10.99.0.12 lookup 102`.
    public var text: String {
        var words: [String] = []
        if isInverted { words.append("not") }
        // As ip-rule prints them: a host prefix as the bare address.
        func shown(_ prefix: IPPrefix) -> String { prefix.length == prefix.address.bitWidth ? prefix.address.description : prefix.description }
        words += ["from", source.map(shown) ?? "all"]
        if let destination { words += ["to", shown(destination)] }
        if let fwmark { words += ["fwmark", "0x" + String(fwmark, radix: 16)] }
        if let inputInterface { words += ["iif", inputInterface] }
        if let outputInterface { words += ["oif", outputInterface] }
        words += otherSelectors
        switch action {
        case .lookup(let table): words += ["lookup", Route.tableName(table)]
        case .goto(let target): words += ["goto", String(target)]
        case .nop: words.append("nop")
        case .blackhole: words.append("blackhole")
        case .unreachable: words.append("unreachable")
        case .prohibit: words.append("prohibit")
        case .other(let code): words.append("action \(code)")
        }
        if let suppressPrefixLength { words += ["suppress_prefixlength", String(suppressPrefixLength)] }
        return words.joined(separator: " ")
    }
}
