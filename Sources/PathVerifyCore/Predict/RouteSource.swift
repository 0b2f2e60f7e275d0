/// Asks the kernel how it routes: its tables, its policy rules, and the answer to one lookup.
///
/// Implementers talk rtnetlink (`NetlinkRouteSource`) or return values a test made. Interface
/// names are resolved in the same namespace the routes are read from.
public protocol RouteSource {
    /// Every route of every table, IPv4 and IPv6, in the kernel's order: tables by number, and
    /// within one table and prefix of equal metric, the first listed is the one a lookup takes
    /// (not always for IPv4 default routes or IPv6 gateway routes, which the kernel picks among
    /// by other means).
    func routes() throws -> [Route]

    /// Every policy rule, IPv4 and IPv6, in priority order.
    func rules() throws -> [RoutingRule]

    /// The route the kernel would use for a packet from `source` (a local address) to
    /// `destination`, policy rules included: what `ip route get DESTINATION from SOURCE fibmatch`
    /// prints. `nil` when the kernel has no route, or a blackhole, unreachable or prohibit route
    /// or rule matched: the kernel answers all of them with an error that does not say which.
    func lookup(destination: IPAddress, source: IPAddress) throws -> Route?
}
