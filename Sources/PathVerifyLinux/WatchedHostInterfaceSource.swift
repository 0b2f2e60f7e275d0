import PathVerifyCore

/// Another source's interfaces, read again only after the kernel announced a change of links or
/// addresses, not at every tick of a capture or the daemon.
///
/// A read of sysfs and `getifaddrs` costs about 20 system calls per interface of the host, each
/// second: a quarter of an idle capture's CPU. rtnetlink notifies every change of a link's
/// state, flags or addresses; one that cannot be read, or lost notifications, count as a change.
/// Without notifications (`changed` is `nil`) every call reads.
public final class WatchedHostInterfaceSource: HostInterfaceSource {
    private let base: any HostInterfaceSource
    private let changed: (() -> Bool)?
    private var last: [HostInterface]?

    /// - Parameter changed: whether anything changed since it was last asked; `nil`: always read.
    public init(_ base: any HostInterfaceSource, changed: (() -> Bool)?) {
        self.base = base
        self.changed = changed
    }

    /// Watches the calling thread's network namespace with a `RouteChangeMonitor` on the link and
    /// address groups; if the kernel refuses one, every call reads.
    public convenience init(_ base: any HostInterfaceSource) {
        let monitor = try? RouteChangeMonitor(groups: RouteChangeMonitor.interfaceGroups)
        self.init(base, changed: monitor.map { monitor in { monitor.drain() } })
    }

    public func interfaces() throws -> [HostInterface] {
        // Asked before reading: a change during the read is seen by this read or the next.
        let changed = changed?() ?? true
        if let last, !changed { return last }
        do {
            let now = try base.interfaces()
            last = now
            return now
        } catch {
            // Read again next time: the failed read may have missed a change.
            last = nil
            throw error
        }
    }

    public func interface(named name: String) throws -> HostInterface? {
        try base.interface(named: name)
    }
}
