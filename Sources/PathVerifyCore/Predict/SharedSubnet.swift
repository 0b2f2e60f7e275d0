/// A subnet that two or more of the host's interfaces have an address in: where the kernel's
/// first route and ARP flux decide which interface traffic really uses (reference §1).
public struct SharedSubnet: Hashable, Sendable {
    public struct Member: Hashable, Sendable {
        public var interface: String
        public var address: IPAddress
    }

    /// The subnet, masked: `10.99.0.0/24`.
    public var prefix: IPPrefix
    /// Each local address in it, with the interface that holds it, in interface order.
    public var members: [Member]
    /// The destination the check asks the kernel about for the subnet: its first address that
    /// is neither the network address nor one of the host's. A connected route covers every
    /// address of the subnet alike, so one stands for all.
    public var peer: IPAddress

    public var interfaces: [String] {
        var names: [String] = []
        for member in members where !names.contains(member.interface) { names.append(member.interface) }
        return names
    }

    /// The subnets of `host` that two or more interfaces share, IPv4 first. IPv6 link-local
    /// addresses are left out: every interface has one, and the kernel routes them per interface.
    public static func find(in host: [HostInterface]) -> [SharedSubnet] {
        var subnets: [SharedSubnet] = []
        let local = Set(host.flatMap { $0.addresses.map(\.address) })
        for interface in host where !interface.isLoopback {
            for address in interface.addresses where !HostInterface.ipv6LinkLocal.contains(address.address) {
                let prefix = address.network
                let member = Member(interface: interface.name, address: address.address)
                if let index = subnets.firstIndex(where: { $0.prefix == prefix }) {
                    subnets[index].members.append(member)
                } else if let peer = prefix.firstHost(excluding: local) {
                    subnets.append(SharedSubnet(prefix: prefix, members: [member], peer: peer))
                }
            }
        }
        return subnets.filter { $0.interfaces.count > 1 }.sorted { ($0.prefix.address.isIPv6 ? 1 : 0) < ($1.prefix.address.isIPv6 ? 1 : 0) }
    }
}
