/// What a team's uplinks carried and where its flows went, as the report shows it: for each
/// flow, the uplink actually used beside the one the policy predicts (esxtop's TEAM-PNIC).
public struct TeamUsage: Sendable, Codable, Equatable {
    public var team: String
    public var policy: String
    /// Where link state came from: `observed` (the kernel, live), `inferred` (from silences in
    /// the traffic, offline failover teams) or `assumed-up` (offline hashing teams).
    public var linkState: String
    public var uplinks: [UplinkUsage]
    /// The busiest flows out of the team, mismatches first; at most `TeamChecker.flowRows`.
    public var flows: [TeamFlowRow]
    /// For each interface riding on the team, the uplinks its flows used, each followed by the
    /// predicted one where they differ: `up1,up2(predicted up1)` (esxtop's TEAM-PNIC, over all
    /// of its flows, not only the rows).
    public var teamPNIC: [String: String]
    /// Outgoing flows whose uplink the policy's published formula cannot predict (see
    /// `TeamHash.bond`); only their stability per source was checked.
    public var unpredictableFlows: Int
    /// Outgoing flows beyond the checker's bound, counted and not checked.
    public var uncheckedFlows: Int

    enum CodingKeys: String, CodingKey {
        case team, policy
        case linkState = "link_state"
        case uplinks, flows
        case teamPNIC = "team_pnic"
        case unpredictableFlows = "unpredictable_flows"
        case uncheckedFlows = "unchecked_flows"
    }
}

/// One uplink of a team: its traffic, its rates over the span, and its place in the team.
public struct UplinkUsage: Sendable, Codable, Equatable {
    public var uplink: InterfaceRef
    /// `active` or `standby` for a failover team, else `member`.
    public var role: String
    /// Whether it was down (or silent, offline) at some time during the traffic.
    public var wasDown: Bool
    public var packetsOut: UInt64
    public var bytesOut: UInt64
    public var packetsIn: UInt64
    public var bytesIn: UInt64
    public var bitsPerSecondOut: Double?
    public var bitsPerSecondIn: Double?
    /// The team's outgoing bytes that this uplink carried, 0 to 1.
    public var share: Double
    public var capacityBitsPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case uplink, role
        case wasDown = "was_down"
        case packetsOut = "packets_out"
        case bytesOut = "bytes_out"
        case packetsIn = "packets_in"
        case bytesIn = "bytes_in"
        case bitsPerSecondOut = "bits_per_second_out"
        case bitsPerSecondIn = "bits_per_second_in"
        case share
        case capacityBitsPerSecond = "capacity_bits_per_second"
    }
}

/// One outgoing flow of a team: the interface it came from, and the uplink predicted and used.
public struct TeamFlowRow: Sendable, Codable, Equatable {
    /// `10.98.0.11:40000->10.98.0.21:9999/udp`.
    public var flow: String
    /// The interface riding on the team that sent it, where the MAC or address tells.
    public var interface: InterfaceRef?
    /// The uplink the policy picks; `nil` when it cannot be predicted.
    public var predicted: InterfaceRef?
    public var actual: InterfaceRef
    public var packets: UInt64
    public var bytes: UInt64
    /// `ok`, `mismatch`, or `unpredictable`.
    public var verdict: String
}
