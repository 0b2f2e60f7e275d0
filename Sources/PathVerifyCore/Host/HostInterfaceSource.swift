/// Tells which interfaces the host has and what the kernel knows of each.
///
/// Implementers read the running system (`SysfsHostInterfaceSource`) or return values a test
/// made. An interface that disappears while it is being read is left out, not an error.
public protocol HostInterfaceSource {
    /// Every interface of the host (its network namespace), in ifindex order.
    func interfaces() throws -> [HostInterface]

    /// The named interface now, or `nil` if there is no such interface (any more).
    func interface(named name: String) throws -> HostInterface?
}
