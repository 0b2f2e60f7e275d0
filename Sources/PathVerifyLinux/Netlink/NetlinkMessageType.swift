/// The `nlmsg_type` of a netlink message: a control type of linux/netlink.h (`NLMSG_*`) or an
/// rtnetlink request or answer of linux/rtnetlink.h (`RTM_*`).
///
/// Its description is the kernel's name, so that errors say which request failed ("RTM_GETROUTE").
struct NetlinkMessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt16

    init(rawValue: UInt16) { self.rawValue = rawValue }

    static let noop = Self(rawValue: 1)  // NLMSG_NOOP
    static let error = Self(rawValue: 2)  // NLMSG_ERROR
    static let done = Self(rawValue: 3)  // NLMSG_DONE
    static let overrun = Self(rawValue: 4)  // NLMSG_OVERRUN
    static let newLink = Self(rawValue: 16)  // RTM_NEWLINK
    static let deleteLink = Self(rawValue: 17)  // RTM_DELLINK
    static let getLink = Self(rawValue: 18)  // RTM_GETLINK
    static let newAddress = Self(rawValue: 20)  // RTM_NEWADDR
    static let deleteAddress = Self(rawValue: 21)  // RTM_DELADDR
    static let getAddress = Self(rawValue: 22)  // RTM_GETADDR
    static let newRoute = Self(rawValue: 24)  // RTM_NEWROUTE
    static let deleteRoute = Self(rawValue: 25)  // RTM_DELROUTE
    static let getRoute = Self(rawValue: 26)  // RTM_GETROUTE
    static let newRule = Self(rawValue: 32)  // RTM_NEWRULE
    static let deleteRule = Self(rawValue: 33)  // RTM_DELRULE
    static let getRule = Self(rawValue: 34)  // RTM_GETRULE
    static let newNetconf = Self(rawValue: 80)  // RTM_NEWNETCONF
    static let deleteNetconf = Self(rawValue: 81)  // RTM_DELNETCONF

    private static let names: [UInt16: String] = [
        1: "NLMSG_NOOP", 2: "NLMSG_ERROR", 3: "NLMSG_DONE", 4: "NLMSG_OVERRUN",
        16: "RTM_NEWLINK", 17: "RTM_DELLINK", 18: "RTM_GETLINK",
        20: "RTM_NEWADDR", 21: "RTM_DELADDR", 22: "RTM_GETADDR",
        24: "RTM_NEWROUTE", 25: "RTM_DELROUTE", 26: "RTM_GETROUTE",
        32: "RTM_NEWRULE", 33: "RTM_DELRULE", 34: "RTM_GETRULE",
        80: "RTM_NEWNETCONF", 81: "RTM_DELNETCONF",
    ]

    /// `RTM_GETROUTE`, or `message type 99` for a type without a name here.
    var description: String { Self.names[rawValue] ?? "message type \(rawValue)" }
}
