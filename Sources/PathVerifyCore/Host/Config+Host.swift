extension Config {
    /// The config a live capture verifies with: the host's interfaces as the kernel reports
    /// them (names, MACs, addresses: so address ownership is the kernel's), with the alias,
    /// role and ifindex the operator gave each; interfaces the config names but the host lacks
    /// are kept as written; intents are unchanged. Loopback is left out: its addresses never
    /// appear on another interface's wire. The config's teams come first; each bond the kernel
    /// reports that no team names, or shares an uplink with, becomes a team of its own, so a
    /// bonded host is checked with no config at all.
    public func merged(withHost host: [HostInterface], bonds: [BondStatus] = []) -> Config {
        var interfaces: [InterfaceConfig] = []
        for kernel in host where !kernel.isLoopback {
            let given = self.interfaces.first { $0.name == kernel.name }
            interfaces.append(
                InterfaceConfig(
                    name: kernel.name, alias: given?.alias, role: given?.role, addresses: kernel.addresses,
                    mac: kernel.mac ?? given?.mac, ifindex: kernel.ifindex))
        }
        for given in self.interfaces where !host.contains(where: { $0.name == given.name }) {
            interfaces.append(given)
        }
        var teams = self.teams
        for bond in bonds {
            guard let team = bond.team, !teams.contains(where: { $0.name == team.name }),
                !team.uplinks.contains(where: { self.team(withUplink: $0) != nil })
            else { continue }
            teams.append(team)
        }
        return Config(interfaces: interfaces, intents: intents, teams: teams)
    }
}
