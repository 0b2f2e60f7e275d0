/// Which interface owns each local address, and which interfaces share a subnet.
///
/// With no intents, the zero-config rule ("a packet from B's address leaves via B; a packet
/// for B's address arrives on B") applies only to interfaces that share a subnet with another
/// interface: that is where the kernel's first-route and ARP-flux faults live. A single-homed
/// host gets no findings from it.
public struct AddressOwnership: Sendable {
    /// Owner (kernel name) of each local address.
    public private(set) var owners: [IPAddress: String] = [:]
    /// Interfaces that share at least one subnet with another interface.
    public private(set) var multihomed: Set<String> = []
    /// Each interface's MAC address, where known.
    public private(set) var macs: [String: MACAddress] = [:]

    public init(interfaces: [InterfaceConfig]) {
        for interface in interfaces {
            for prefix in interface.addresses { owners[prefix.address] = interface.name }
            if let mac = interface.mac { macs[interface.name] = mac }
        }
        for (position, interface) in interfaces.enumerated() {
            for other in interfaces[(position + 1)...] where other.name != interface.name {
                let shared = interface.addresses.contains { mine in
                    other.addresses.contains { theirs in mine.overlaps(theirs) }
                }
                if shared {
                    multihomed.insert(interface.name)
                    multihomed.insert(other.name)
                }
            }
        }
    }

    public var isEmpty: Bool { owners.isEmpty }

    /// The owner of `address`, if the zero-config rule applies to it.
    public func ruleOwner(of address: IPAddress) -> String? {
        guard let owner = owners[address], multihomed.contains(owner) else { return nil }
        return owner
    }

    /// The interface whose MAC is `mac`.
    public func interface(withMAC mac: MACAddress) -> String? {
        macs.first { $0.value == mac }?.key
    }
}
