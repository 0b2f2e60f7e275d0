extension ConfigValidator {
    /// Checks the `[[team]]` entries: names, members, and the keys each policy takes.
    static func validateTeams(_ config: Config, fail: (ConfigKeyPath, String) -> Void) {
        var teamByName: [String: Int] = [:]
        var teamByUplink: [String: Int] = [:]
        for (index, team) in config.teams.enumerated() {
            let path = ConfigKeyPath(keys: "team").appending(index: index)
            if team.name.isEmpty {
                fail(path.appending("name"), "missing or empty; give the team a name, like 'bond0' or 'vds-ft'")
            } else if let other = teamByName[team.name] {
                fail(path.appending("name"), "'\(team.name)' is already the name of team[\(other)]")
            } else {
                teamByName[team.name] = index
            }
            if team.uplinks.isEmpty {
                fail(path.appending("uplinks"), "missing or empty; list the member uplinks in the team's order")
            }
            for (position, uplink) in team.uplinks.enumerated() {
                let uplinkPath = path.appending("uplinks").appending(index: position)
                if let problem = kernelNameProblem(uplink) {
                    fail(uplinkPath, problem)
                } else if team.uplinks.firstIndex(of: uplink) != position {
                    fail(uplinkPath, "'\(uplink)' is listed twice")
                } else if let other = teamByUplink[uplink] {
                    fail(uplinkPath, "'\(uplink)' is already an uplink of team[\(other)]; an uplink is in one team")
                } else {
                    teamByUplink[uplink] = index
                }
            }
            for (position, name) in team.standby.enumerated() where !team.uplinks.contains(name) {
                fail(
                    path.appending("standby").appending(index: position),
                    "'\(name)' is not one of the team's uplinks; standby uplinks are listed in uplinks too")
            }
            if !team.standby.isEmpty {
                if team.policy != .explicitFailover {
                    fail(path.appending("standby"), "only a failover team has standby uplinks")
                } else if team.active.isEmpty {
                    fail(path.appending("standby"), "every uplink is standby; leave at least one active")
                }
            }
            if let primary = team.primary {
                if team.policy != .activeBackup {
                    fail(path.appending("primary"), "only an active-backup team has a primary")
                } else if !team.uplinks.contains(primary) {
                    fail(path.appending("primary"), "'\(primary)' is not one of the team's uplinks")
                }
            }
            for (position, name) in team.interfaces.enumerated() where team.uplinks.contains(name) {
                fail(
                    path.appending("interfaces").appending(index: position),
                    "'\(name)' is an uplink of this team; interfaces lists what rides on the team, like 'vmk3'")
            }
            for (position, intent) in config.intents.enumerated() {
                for (key, name) in [("egress", intent.expectedEgress), ("ingress", intent.expectedIngress)]
                where name.map(team.uplinks.contains) == true {
                    fail(
                        ConfigKeyPath(keys: "intent").appending(index: position).appending(key),
                        "'\(name!)' is an uplink of team \(team.name); name the interface that rides on it, "
                            + "and the team's policy decides the uplink")
                }
            }
            if let capacity = team.capacityMegabitsPerSecond, !(capacity > 0) {
                fail(path.appending("capacity"), "must be more than 0 Mbit/s")
            }
            for (key, share) in [("n1_threshold", team.congestionThreshold), ("imbalance_threshold", team.imbalanceThreshold)]
            where !(share > 0 && share <= 10) {
                fail(path.appending(key), "\(share * 100) is not a percentage from 1 to 1000")
            }
        }
    }
}
