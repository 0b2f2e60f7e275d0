import Glibc
import PathVerifyCore

/// Asks the kernel over rtnetlink for its routes, its policy rules and the answer to a lookup, in
/// the network namespace the calling thread was in when the source was made.
///
/// Interface names come from a link dump made afresh by `routes()` (interfaces
/// get renamed, and their indexes reused); lookups use the names of the last dump, so that a
/// check of thousands of lookups does not dump the links for each. Not for sharing between
/// threads (one socket, one request at a time).
public final class NetlinkRouteSource: RouteSource {
    private let socket: NetlinkSocket
    /// The names of the last link dump, for lookups.
    private var names: [UInt32: String]?

    /// The `errno`s with which the kernel answers a lookup that ends without a usable route:
    /// `ENETUNREACH` (no route, an `unreachable` rule, a `throw` route with nothing after it),
    /// `EHOSTUNREACH` (an `unreachable` route), `EACCES` (`prohibit`), `EINVAL` (`blackhole`).
    /// `EINVAL` and, for IPv4, `ENETUNREACH` are also how it refuses a source that is not local.
    static let unroutable: Set<Int32> = [ENETUNREACH, EHOSTUNREACH, EACCES, EINVAL]

    /// Opens the rtnetlink socket in the calling thread's network namespace.
    /// - Parameter receiveTimeout: how long one request waits for the kernel before it fails.
    /// - Throws: `SystemCallError` of `socket` or `setsockopt`.
    public init(receiveTimeout: Duration = .seconds(2)) throws(SystemCallError) {
        socket = try NetlinkSocket(receiveTimeout: receiveTimeout)
    }

    /// Every route of every table, IPv4 then IPv6, in the kernel's dump order; cached routes
    /// (`RTM_F_CLONED`) are left out, as `ip route show table all` leaves them out.
    /// - Throws: `NetlinkError` of `RTM_GETLINK` or `RTM_GETROUTE`.
    public func routes() throws -> [Route] {
        let names = try interfaceNames()
        var routes: [Route] = []
        for family in [AddressFamily.ipv4, AddressFamily.ipv6] {
            let messages = try socket.dump(.getRoute, payload: RouteMessage.dumpRequest(family: family))
            try Self.decode(.getRoute) { () throws(NetlinkDecodeError) in
                for message in messages where message.type == .newRoute {
                    let decoded = try RouteMessage(decoding: message)
                    // A kernel without IPv6 answers the IPv6 dump with every family's routes.
                    guard decoded.family == family, !decoded.isCloned else { continue }
                    if let route = try decoded.route(interfaceNames: names) { routes.append(route) }
                }
            }
        }
        return routes
    }

    /// Every policy rule, IPv4 then IPv6, in the kernel's (priority) order.
    /// - Throws: `NetlinkError` of `RTM_GETRULE`.
    public func rules() throws -> [RoutingRule] {
        var rules: [RoutingRule] = []
        for family in [AddressFamily.ipv4, AddressFamily.ipv6] {
            let messages = try ruleDump(family: family)
            try Self.decode(.getRule) { () throws(NetlinkDecodeError) in
                for message in messages where message.type == .newRule {
                    let decoded = try RuleMessage(decoding: message)
                    guard decoded.family == family else { continue }
                    if let rule = try decoded.rule() { rules.append(rule) }
                }
            }
        }
        return rules
    }

    /// The FIB entry the kernel matches for a packet from `source` to `destination`, policy rules
    /// included: `ip route get DESTINATION from SOURCE fibmatch`.
    ///
    /// `nil` when the lookup ends without a usable route: no route, or an `unreachable`,
    /// `prohibit` or `blackhole` route or rule (the kernel answers these with an error, not the
    /// entry, so which one matched is not known).
    /// - Throws: `RouteLookupError` if the families differ or the source is not a local address
    ///   (checked only when the kernel refuses, with an address dump); `NetlinkError` otherwise.
    public func lookup(destination: IPAddress, source: IPAddress) throws -> Route? {
        guard destination.isIPv6 == source.isIPv6 else {
            throw RouteLookupError(destination: destination, source: source, reason: .familiesDiffer)
        }
        let answer: NetlinkMessage
        do {
            answer = try socket.request(
                .getRoute, payload: RouteMessage.lookupRequest(destination: destination, source: source))
        } catch {
            guard let code = error.errno, Self.unroutable.contains(code) else { throw error }
            guard try isLocal(source) else {
                throw RouteLookupError(destination: destination, source: source, reason: .sourceNotLocal(errno: code))
            }
            return nil
        }
        let names = try self.names ?? interfaceNames()
        return try Self.decode(.getRoute) { () throws(NetlinkDecodeError) in
            try RouteMessage(decoding: answer).route(interfaceNames: names)
        }
    }

    /// The rule dump of one family; empty for IPv6 on a kernel without it, which refuses the
    /// dump with `EAFNOSUPPORT`.
    private func ruleDump(family: UInt8) throws(NetlinkError) -> [NetlinkMessage] {
        do {
            return try socket.dump(.getRule, payload: RuleMessage.dumpRequest(family: family))
        } catch {
            guard error.errno == EAFNOSUPPORT, family == AddressFamily.ipv6 else { throw error }
            return []
        }
    }

    /// Interface names by index, from a link dump.
    func interfaceNames() throws(NetlinkError) -> [UInt32: String] {
        let messages = try socket.dump(.getLink, payload: LinkMessage.dumpRequest())
        let names = try Self.decode(.getLink) { () throws(NetlinkDecodeError) in
            var names: [UInt32: String] = [:]
            for message in messages where message.type == .newLink {
                let link = try LinkMessage(decoding: message)
                if let name = link.name { names[link.index] = name }
            }
            return names
        }
        self.names = names
        return names
    }

    /// Whether `address` is one of the namespace's interface addresses, or unspecified (for
    /// which the kernel picks a source itself), from an address dump.
    func isLocal(_ address: IPAddress) throws(NetlinkError) -> Bool {
        guard address.high != 0 || address.low != 0 else { return true }
        let messages = try socket.dump(
            .getAddress, payload: AddressMessage.dumpRequest(family: AddressFamily.of(address)))
        return try Self.decode(.getAddress) { () throws(NetlinkDecodeError) in
            for message in messages where message.type == .newAddress {
                if try AddressMessage(decoding: message).address == address { return true }
            }
            return false
        }
    }

    /// Runs `body`, reporting a message it cannot read as the failure of `request`.
    private static func decode<Value>(
        _ request: NetlinkMessageType, _ body: () throws(NetlinkDecodeError) -> Value
    ) throws(NetlinkError) -> Value {
        do {
            return try body()
        } catch {
            throw NetlinkError(request: "\(request)", reason: .malformed(error))
        }
    }
}
