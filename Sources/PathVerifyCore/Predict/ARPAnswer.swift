/// Whether an interface answers an ARP request for a local address, by the kernel's rules
/// (net/ipv4/arp.c `arp_process`, `arp_ignore`, `arp_filter`; reference §1.4, §1.5).
///
/// A request for address X (held by interface O) from a peer P arrives on interface I:
/// 1. the input route lookup validates the sender: with strict `rp_filter` (1) on I it fails
///    unless the route back to P from X leaves by I;
/// 2. `arp_ignore` on I: 0, 3 and the reserved 4–7 answer for any local address, 1 and 2 only
///    for addresses held by I, 8 never;
/// 3. `arp_filter` on I: the reply is dropped unless the route to P from X leaves by I.
/// Without policy routing that route is the subnet's first one for every X, so 1 and 3 pin
/// every address to the first interface (T5, T6 of the reference's experiment).
public struct ARPAnswer: Sendable, Equatable {
    public var interface: String
    public var address: IPAddress
    public var answers: Bool
    /// Whether strict rp_filter or arp_filter took part: the answer then follows the route
    /// back, which policy routing sets.
    public var followsRouteBack: Bool
    /// The settings that decided it, in words: `arp_ignore=0 (all=0, eth1=0) answers for every local address`.
    public var reasons: [String]

    /// - Parameters:
    ///   - owner: the interface that holds `address`.
    ///   - routeBack: the interface of the route to the peer from `address` (what rp_filter
    ///     and arp_filter compare with); `nil` when there is none.
    public init(interface: String, address: IPAddress, owner: String, routeBack: String?, conf: IPv4Conf) {
        self.interface = interface
        self.address = address
        let settings = conf.effective(interface)
        var answers = true
        var reasons: [String] = []
        let holds = interface == owner
        let ignore = conf.explain("arp_ignore", \.arpIgnore, on: interface)
        switch settings.arpIgnore {
        case 1, 2:
            if !holds {
                answers = false
                reasons.append("\(ignore) answers only for the interface's own addresses")
            }
        case 8:
            answers = false
            reasons.append("\(ignore) never answers")
        default:
            if !holds { reasons.append("\(ignore) answers for every local address") }
        }
        let back = routeBack.map { "leaves by \($0)" } ?? "does not exist"
        if settings.rpFilter == 1 {
            let explained = conf.explain("rp_filter", \.rpFilter, on: interface)
            if routeBack != interface {
                answers = false
                reasons.append("\(explained) drops the request: the route back to the subnet from \(address) \(back)")
            } else if !holds {
                reasons.append("\(explained) lets the request in: the route back to the subnet from \(address) leaves by \(interface)")
            }
        }
        if settings.arpFilter != 0 {
            let explained = conf.explain("arp_filter", \.arpFilter, on: interface)
            if routeBack != interface {
                answers = false
                reasons.append("\(explained) drops the reply: the route to the subnet from \(address) \(back)")
            } else if !holds {
                reasons.append("\(explained) lets the reply out: the route to the subnet from \(address) leaves by \(interface)")
            }
        }
        self.answers = answers
        self.reasons = reasons
        followsRouteBack = settings.rpFilter == 1 || settings.arpFilter != 0
    }
}
