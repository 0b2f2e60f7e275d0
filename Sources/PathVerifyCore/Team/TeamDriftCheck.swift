/// A `team-config-drift` finding for each config team whose bond the kernel runs otherwise.
///
/// A team is compared with the bond of the same name, else the bond it names among its
/// riding interfaces, else the bond whose slaves are the team's uplinks. A team with no such
/// bond gives nothing: it may be a vSwitch's team described for offline analysis.
public enum TeamDriftCheck {
    /// - Parameters:
    ///   - teams: the config's teams.
    ///   - bonds: the bonds the kernel reports (`BondStatusSource`).
    /// - Returns: one finding per drifted team, in the teams' order; `team` is the team's name
    ///   and `detail` lists every difference: policy or mode, hash policy, member set, member
    ///   order (it decides the hash's slave and active-backup's fallback) and primary.
    public static func findings(teams: [Team], bonds: [BondStatus]) -> [Finding] {
        teams.compactMap { team in
            guard let bond = bond(for: team, among: bonds) else { return nil }
            let differences = differences(team, bond)
            guard !differences.isEmpty else { return nil }
            return Finding(
                kind: .teamConfigDrift, intent: nil, team: team.name, direction: nil, expected: nil, actual: nil,
                address: nil, macs: nil, packets: 0, bytes: 0, flows: 0, packetsPerSecond: nil, bitsPerSecond: nil,
                firstSeen: Timestamp(nanoseconds: 0), lastSeen: Timestamp(nanoseconds: 0), sampleFlows: [],
                detail: differences.joined(separator: "; "))
        }
    }

    /// The bond a config team describes, if the kernel has it.
    static func bond(for team: Team, among bonds: [BondStatus]) -> BondStatus? {
        if let named = bonds.first(where: { $0.name == team.name }) { return named }
        if let riding = bonds.first(where: { team.interfaces.contains($0.name) }) { return riding }
        let uplinks = Set(team.uplinks)
        guard !uplinks.isEmpty else { return nil }
        return bonds.first { Set($0.slaves.map(\.name)) == uplinks }
    }

    /// Each difference as a clause in operator words, in a fixed order.
    static func differences(_ team: Team, _ bond: BondStatus) -> [String] {
        var clauses: [String] = []
        let kernel = "kernel \(bond.name)"
        let bondPolicy = bond.team?.policy
        if team.policy.name != bond.mode.name {
            clauses.append("config says policy \(describe(team.policy)), \(kernel) runs \(describe(bond))")
        } else if let configHash = team.policy.hashPolicy, let bondHash = bondPolicy?.hashPolicy,
            configHash != bondHash
        {
            clauses.append("config says hash policy \(configHash.name), \(kernel) hashes \(bondHash.name)")
        }

        let slaves = bond.slaves.map(\.name)
        let missing = team.uplinks.filter { !slaves.contains($0) }
        let extra = slaves.filter { !team.uplinks.contains($0) }
        if !missing.isEmpty {
            clauses.append("\(members(missing)) in the config but not in the bond")
        }
        if !extra.isEmpty {
            clauses.append("\(members(extra)) in the bond but not in the config")
        }
        let configOrder = team.uplinks.filter { slaves.contains($0) }
        let bondOrder = slaves.filter { team.uplinks.contains($0) }
        if configOrder != bondOrder {
            clauses.append(
                "config orders the members \(configOrder.joined(separator: ", ")), \(kernel) orders them "
                    + bondOrder.joined(separator: ", "))
        }

        switch (team.primary, bond.primary) {
        case (let configured?, let running?) where configured != running:
            clauses.append("config says primary \(configured), \(kernel) prefers \(running)")
        case (let configured?, nil):
            clauses.append("config says primary \(configured), \(kernel) has none")
        case (nil, let running?):
            clauses.append("config names no primary, \(kernel) prefers \(running)")
        default:
            break
        }
        return clauses
    }

    /// `balance-xor layer3+4`, `active-backup`, `failover`.
    static func describe(_ policy: TeamPolicy) -> String {
        policy.hashPolicy.map { "\(policy.name) \($0.name)" } ?? policy.name
    }

    /// The bond's mode as the config would name it, with its hash policy when it hashes.
    static func describe(_ bond: BondStatus) -> String {
        bond.team.map { describe($0.policy) } ?? bond.mode.name
    }

    /// `member eth3 is` or `members eth3, eth4 are`.
    static func members(_ names: [String]) -> String {
        names.count == 1 ? "member \(names[0]) is" : "members \(names.joined(separator: ", ")) are"
    }
}
