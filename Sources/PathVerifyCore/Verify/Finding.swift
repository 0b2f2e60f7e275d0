/// An interface as a report names it: the kernel name and the operator's alias.
public struct InterfaceRef: Sendable, Codable, Hashable, CustomStringConvertible {
    public var name: String
    public var alias: String?

    public init(name: String, alias: String? = nil) {
        self.name = name
        self.alias = alias
    }

    /// `eth2(vmk2)`, or `eth2` with no alias.
    public var description: String { alias.map { "\(name)(\($0))" } ?? name }
}

/// A mismatch between the expected and the actual path, with its evidence.
public struct Finding: Sendable, Codable, Equatable {
    public var kind: FindingKind
    /// The intent whose expectation was broken; `nil` under the address-ownership rule.
    public var intent: String?
    /// For the team kinds: the team's name. `expected` and `actual` are then uplinks.
    public var team: String? = nil
    /// `out` (egress) or `in` (ingress), where the finding has one.
    public var direction: String?
    public var expected: InterfaceRef?
    public var actual: InterfaceRef?
    /// For `arp-flux`: the address that was answered for, and the MACs that answered.
    public var address: String?
    public var macs: [String]?
    public var packets: UInt64
    public var bytes: UInt64
    public var flows: Int
    /// Packets and bits per second over the capture's span; absent when the span is zero.
    public var packetsPerSecond: Double?
    public var bitsPerSecond: Double?
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// Up to five of the flows behind the finding, the busiest first.
    public var sampleFlows: [String]
    /// The busiest flow as one word (`10.0.0.1:40000->10.0.0.2:3260/tcp`), for alert lines.
    public var flow: String? = nil
    /// For `n-1-congestion-risk`: the surviving uplink's load if `expected` failed, its
    /// capacity, and their ratio (1.0 is full).
    public var projectedBitsPerSecond: Double? = nil
    public var capacityBitsPerSecond: Double? = nil
    public var utilization: Double? = nil
    /// For `team-imbalance`: each uplink's share of the team's outgoing bytes, 0 to 1.
    public var shares: [String: Double]? = nil
    /// For the kinds `check` predicts: the destination asked about, the route the kernel
    /// picks, the policy rules the lookup went through, and the remedies in the order to try them.
    public var destination: String? = nil
    public var route: String? = nil
    public var rules: [String]? = nil
    public var remedies: [Remedy]? = nil
    /// One sentence that says what happened.
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case kind, intent, team, direction, expected, actual, address, macs, packets, bytes, flows
        case packetsPerSecond = "packets_per_second"
        case bitsPerSecond = "bits_per_second"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case sampleFlows = "sample_flows"
        case flow
        case projectedBitsPerSecond = "projected_bits_per_second"
        case capacityBitsPerSecond = "capacity_bits_per_second"
        case utilization, shares
        case destination, route, rules, remedies
        case detail
    }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(nanoseconds: try container.decode(Int64.self))
    }

    /// Encoded as RFC 3339 text, which people and log tools read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
