/// The report of `pathverify check`, as `--json` prints it. Keys are stable and documented in README.md.
public struct CheckReport: Sendable, Encodable {
    public var schema = 1
    public var command = "check"
    public var verdict: Verdict
    /// Each question put to the kernel and its answer.
    public var predictions: [PathPrediction]
    /// Each shared subnet: whether routing and ARP are right, and so how far it is fixed.
    public var subnets: [SubnetVerdict]
    /// The ARP and reverse-path settings of each interface in a shared IPv4 subnet.
    public var interfaces: [ARPRow]
    /// `all` and `default`, as read.
    public var sysctl: [String: IPv4ConfValues]
    public var findings: [Finding]
    public var notes: [String]

    public init(
        predictions: [PathPrediction], subnets: [SubnetVerdict], interfaces: [ARPRow], sysctl: [String: IPv4ConfValues],
        findings: [Finding], notes: [String]
    ) {
        verdict = findings.isEmpty ? .ok : .mismatch
        self.predictions = predictions
        self.subnets = subnets
        self.interfaces = interfaces
        self.sysctl = sysctl
        self.findings = findings
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case schema, command, verdict, predictions, subnets, interfaces, sysctl, findings, notes
    }

}

/// How far a shared subnet is fixed: routing (each address leaves by its own interface) and
/// ARP (each address is answered for only by its own interface) are the two halves.
public struct SubnetVerdict: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case fixed
        /// Policy routing is right, the ARP settings are not.
        case routingOnly = "routing-only"
        /// The ARP settings are right, routing is not.
        case arpOnly = "arp-only"
        case unfixed
    }

    public var subnet: String
    public var interfaces: [InterfaceRef]
    /// `ok` or `wrong`.
    public var routing: String
    /// `ok`, `at-risk`, or `n/a` for IPv6 (NDP answers only on the interface that holds the address).
    public var arp: String
    public var status: Status

    /// `fixed`, or `half fixed (routing only)`, as the report says it.
    public var statusText: String {
        switch status {
        case .fixed: "fixed"
        case .routingOnly: "half fixed: routing only, ARP still at risk"
        case .arpOnly: "half fixed: ARP only, routing still wrong"
        case .unfixed: arp == "n/a" ? "not fixed: routing wrong" : "not fixed: routing wrong, ARP at risk"
        }
    }
}

/// One interface of a shared IPv4 subnet: its link, its settings, and the addresses it answers ARP for.
public struct ARPRow: Sendable, Codable, Equatable {
    public var interface: InterfaceRef
    public var subnet: String
    /// `up`, `no-carrier`, `down` or `absent`.
    public var link: String
    /// What the kernel acts on (`all` and the interface's own value combined).
    public var effective: IPv4ConfValues
    /// The interface's own values; `nil` when they were not read.
    public var own: IPv4ConfValues?
    public var answersFor: [String]

    enum CodingKeys: String, CodingKey {
        case interface, subnet, link, effective, own
        case answersFor = "answers_arp_for"
    }
}
