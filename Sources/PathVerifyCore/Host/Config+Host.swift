extension Config {
    /// The config a live capture verifies with: the host's interfaces as the kernel reports
    /// them (names, MACs, addresses: so address ownership is the kernel's), with the alias,
    /// role and ifindex the operator gave each; interfaces the config names but the host lacks
    /// are kept as written; intents are unchanged. Loopback is left out: its addresses never
    /// appear on another interface's wire.
    public func merged(withHost host: [HostInterface]) -> Config {
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
        return Config(interfaces: interfaces, intents: intents, teams: teams)
    }
}
