extension Decoding {
    /// The names `policy` takes, for messages.
    static let policyNames = [
        "failover", "port-id", "source-mac", "ip-hash", "active-backup", "balance-xor", "802.3ad",
    ]

    mutating func decodeTeam(_ table: [String: ConfigValue], at path: ConfigKeyPath, interfaces: [InterfaceConfig])
        -> Team
    {
        checkKeys(table, at: path, known: ConfigDecoder.teamKeys)
        let hashName = string(table, "hash", at: path)
        var hash = BondHashPolicy.layer2  // the bonding module's default (bonding.rst)
        if let hashName {
            if let policy = BondHashPolicy(name: hashName) {
                hash = policy
            } else {
                fail(
                    path.appending("hash"),
                    "'\(hashName)' is not a transmit hash policy; use one of "
                        + BondHashPolicy.allCases.map(\.name).joined(separator: ", "))
            }
        }
        var policy = TeamPolicy.explicitFailover
        switch string(table, "policy", at: path) {
        case nil: fail(path.appending("policy"), "missing; give one of \(Self.policyNames.joined(separator: ", "))")
        case "failover": policy = .explicitFailover
        case "port-id": policy = .originatingPort
        case "source-mac": policy = .sourceMAC
        case "ip-hash": policy = .ipHash
        case "active-backup": policy = .activeBackup
        case "balance-xor": policy = .balanceXOR(hash)
        case "802.3ad": policy = .lacp(hash)
        case let other?:
            let suggestion = KeySuggestion.closest(to: other, among: Self.policyNames).map { "did you mean '\($0)'? " }
            fail(
                path.appending("policy"),
                "'\(other)' is not a teaming policy; \(suggestion ?? "")use one of \(Self.policyNames.joined(separator: ", "))"
            )
        }
        if hashName != nil, policy.hashPolicy == nil, table["policy"] != nil {
            fail(path.appending("hash"), "only balance-xor and 802.3ad teams hash with a transmit hash policy")
        }
        var team = Team(name: string(table, "name", at: path) ?? "", uplinks: [], policy: policy)
        team.uplinks = strings(table, "uplinks", at: path, what: "interface names").map(\.0)
        team.standby = strings(table, "standby", at: path, what: "interface names").map(\.0)
        team.interfaces = strings(table, "interfaces", at: path, what: "interface names or aliases").map {
            kernelName($0.0, interfaces)
        }
        team.primary = string(table, "primary", at: path)
        if let value = table["failback"] {
            if case .boolean(let failback) = value {
                team.failback = failback
            } else {
                typeMismatch(path.appending("failback"), expected: "true or false", found: value)
            }
        }
        team.capacityMegabitsPerSecond = number(table, "capacity", at: path, example: "10000 (Mbit/s)")
        if let percent = number(table, "n1_threshold", at: path, example: "80 (percent)") {
            team.congestionThreshold = percent / 100
        }
        if let percent = number(table, "imbalance_threshold", at: path, example: "75 (percent)") {
            team.imbalanceThreshold = percent / 100
        }
        return team
    }

    /// An optional integer or floating-point value.
    mutating func number(_ table: [String: ConfigValue], _ key: String, at path: ConfigKeyPath, example: String)
        -> Double?
    {
        switch table[key] {
        case nil: return nil
        case .integer(let value)?: return Double(value)
        case .float(let value)?: return value
        case let value?:
            typeMismatch(path.appending(key), expected: "a number, like \(example)", found: value)
            return nil
        }
    }
}
