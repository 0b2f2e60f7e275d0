import Glibc
import PathVerifyCore

// The numbers of the rtnetlink protocol. Swift's Glibc module does not import the kernel's UAPI
// headers, and a C module for constants alone is not worth its build setup, so they are spelled
// here; each carries its kernel name in a comment, so that `grep` finds both.

/// Constants of linux/netlink.h.
enum Netlink {
    /// `NETLINK_ROUTE`: the routing and link protocol family of `AF_NETLINK`.
    static let protocolRoute: Int32 = 0
    /// `SOL_NETLINK` (also in bits/socket.h): the `setsockopt` level of the options below.
    static let socketOptionLevel: Int32 = 270
    /// `NETLINK_ADD_MEMBERSHIP`: joins one multicast group, by number (so groups above 32 work too).
    static let optionAddMembership: Int32 = 1
    /// `NETLINK_CAP_ACK`: error answers carry only the request's header, not the whole request.
    static let optionCapAcknowledgement: Int32 = 10
    /// `NETLINK_EXT_ACK`: error answers may carry the kernel's text (`NLMSGERR_ATTR_MSG`).
    static let optionExtendedAcknowledgement: Int32 = 11

    /// `NLM_F_REQUEST`.
    static let flagRequest: UInt16 = 0x01
    /// `NLM_F_MULTI`: one part of a multipart answer, which ends with `NLMSG_DONE`.
    static let flagMulti: UInt16 = 0x02
    /// `NLM_F_DUMP_INTR`: the objects changed while the dump ran; it may be inconsistent.
    static let flagDumpInterrupted: UInt16 = 0x10
    /// `NLM_F_DUMP` (`NLM_F_ROOT | NLM_F_MATCH`).
    static let flagDump: UInt16 = 0x300
    /// `NLM_F_CAPPED`, on `NLMSG_ERROR`: the echoed request is only its header.
    static let flagCapped: UInt16 = 0x100
    /// `NLM_F_ACK_TLVS`, on `NLMSG_ERROR`: extended-ack attributes follow the echoed request.
    static let flagAcknowledgementAttributes: UInt16 = 0x200

    /// `NLMSGERR_ATTR_MSG`: the kernel's text for an error.
    static let errorAttributeMessage: UInt16 = 1
    /// `NLA_TYPE_MASK`: an attribute's type without `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER`.
    static let attributeTypeMask: UInt16 = 0x3FFF
}

/// Constants of linux/rtnetlink.h.
enum RTNetlink {
    /// `RTNLGRP_*`: the multicast groups a change monitor joins.
    static let groupLink: UInt32 = 1  // RTNLGRP_LINK
    static let groupIPv4Address: UInt32 = 5  // RTNLGRP_IPV4_IFADDR
    static let groupIPv4Route: UInt32 = 7  // RTNLGRP_IPV4_ROUTE
    static let groupIPv4Rule: UInt32 = 8  // RTNLGRP_IPV4_RULE
    static let groupIPv6Address: UInt32 = 9  // RTNLGRP_IPV6_IFADDR
    static let groupIPv6Route: UInt32 = 11  // RTNLGRP_IPV6_ROUTE
    static let groupIPv6Rule: UInt32 = 19  // RTNLGRP_IPV6_RULE
    static let groupIPv4Netconf: UInt32 = 24  // RTNLGRP_IPV4_NETCONF

    /// `RTM_F_CLONED`: a cached route (a PMTU or redirect exception), not a FIB entry.
    static let routeFlagCloned: UInt32 = 0x200
    /// `RTM_F_LOOKUP_TABLE`: put the table the lookup ended in into the answer. Without it an
    /// IPv4 answer says `main` (the kernel's default) whichever table matched.
    static let routeFlagLookupTable: UInt32 = 0x1000
    /// `RTM_F_FIB_MATCH`: answer a lookup with the FIB entry that matched, not the resulting dst.
    static let routeFlagFIBMatch: UInt32 = 0x2000
    /// `RTNH_F_LINKDOWN`: the nexthop's interface has no carrier.
    static let nexthopFlagLinkDown: UInt32 = 0x10

    /// `struct rtnexthop`: `rtnh_len` u16, `rtnh_flags` u8, `rtnh_hops` u8, `rtnh_ifindex` s32.
    static let nexthopHeaderLength = 8

    /// `RTA_*`: the attributes of a route message.
    static let destination = NetlinkAttributeType(1, "RTA_DST")
    static let source = NetlinkAttributeType(2, "RTA_SRC")
    static let outputInterface = NetlinkAttributeType(4, "RTA_OIF")
    static let gateway = NetlinkAttributeType(5, "RTA_GATEWAY")
    static let priority = NetlinkAttributeType(6, "RTA_PRIORITY")
    static let preferredSource = NetlinkAttributeType(7, "RTA_PREFSRC")
    static let multipath = NetlinkAttributeType(9, "RTA_MULTIPATH")
    static let table = NetlinkAttributeType(15, "RTA_TABLE")
    static let via = NetlinkAttributeType(18, "RTA_VIA")
    static let nexthopID = NetlinkAttributeType(30, "RTA_NH_ID")

    /// `RTN_*` (`rtm_type`), as `Route.Kind`.
    static let routeKinds: [UInt8: Route.Kind] = [
        1: .unicast, 2: .local, 3: .broadcast, 4: .anycast, 5: .multicast, 6: .blackhole, 7: .unreachable,
        8: .prohibit, 9: .throw, 10: .nat,
    ]
}

/// Constants of linux/fib_rules.h.
enum FibRules {
    /// `FIB_RULE_INVERT`: the rule applies when its selectors do not match (`not`).
    static let flagInvert: UInt32 = 0x2

    /// `FR_ACT_*`: what a rule does when it matches.
    static let actionToTable: UInt8 = 1  // FR_ACT_TO_TBL
    static let actionGoto: UInt8 = 2  // FR_ACT_GOTO
    static let actionNop: UInt8 = 3  // FR_ACT_NOP
    static let actionBlackhole: UInt8 = 6  // FR_ACT_BLACKHOLE
    static let actionUnreachable: UInt8 = 7  // FR_ACT_UNREACHABLE
    static let actionProhibit: UInt8 = 8  // FR_ACT_PROHIBIT

    /// `FRA_*`: the attributes of a rule message.
    static let destination = NetlinkAttributeType(1, "FRA_DST")
    static let source = NetlinkAttributeType(2, "FRA_SRC")
    static let inputInterface = NetlinkAttributeType(3, "FRA_IIFNAME")
    static let gotoTarget = NetlinkAttributeType(4, "FRA_GOTO")
    static let priority = NetlinkAttributeType(6, "FRA_PRIORITY")
    static let firewallMark = NetlinkAttributeType(10, "FRA_FWMARK")
    static let flow = NetlinkAttributeType(11, "FRA_FLOW")
    static let tunnelID = NetlinkAttributeType(12, "FRA_TUN_ID")
    static let suppressInterfaceGroup = NetlinkAttributeType(13, "FRA_SUPPRESS_IFGROUP")
    static let suppressPrefixLength = NetlinkAttributeType(14, "FRA_SUPPRESS_PREFIXLEN")
    static let table = NetlinkAttributeType(15, "FRA_TABLE")
    static let firewallMask = NetlinkAttributeType(16, "FRA_FWMASK")
    static let outputInterface = NetlinkAttributeType(17, "FRA_OIFNAME")
    static let pad = NetlinkAttributeType(18, "FRA_PAD")
    static let l3mdev = NetlinkAttributeType(19, "FRA_L3MDEV")
    static let uidRange = NetlinkAttributeType(20, "FRA_UID_RANGE")
    static let ruleProtocol = NetlinkAttributeType(21, "FRA_PROTOCOL")
    static let ipProtocol = NetlinkAttributeType(22, "FRA_IP_PROTO")
    static let sourcePortRange = NetlinkAttributeType(23, "FRA_SPORT_RANGE")
    static let destinationPortRange = NetlinkAttributeType(24, "FRA_DPORT_RANGE")
    // Newer than the Debian 12 headers (linux 6.1); numbers from the current UAPI fib_rules.h.
    static let dscp = NetlinkAttributeType(25, "FRA_DSCP")
    static let flowLabel = NetlinkAttributeType(26, "FRA_FLOWLABEL")
    static let flowLabelMask = NetlinkAttributeType(27, "FRA_FLOWLABEL_MASK")
    static let sourcePortMask = NetlinkAttributeType(28, "FRA_SPORT_MASK")
    static let destinationPortMask = NetlinkAttributeType(29, "FRA_DPORT_MASK")
    static let dscpMask = NetlinkAttributeType(30, "FRA_DSCP_MASK")

    /// Attributes that describe the rule without selecting packets: leaving them out of
    /// `otherSelectors` keeps an ordinary rule from looking as if it had unknown selectors.
    static let nonSelecting: Set<UInt16> = [
        destination.rawValue, source.rawValue, inputInterface.rawValue, outputInterface.rawValue,
        gotoTarget.rawValue, priority.rawValue, firewallMark.rawValue, firewallMask.rawValue, table.rawValue,
        suppressPrefixLength.rawValue, pad.rawValue, ruleProtocol.rawValue,
        // FRA_UNUSED2..5: never sent by kernels since 2.6.
        5, 7, 8, 9,
    ]
}

/// Constants of linux/if_link.h.
enum IfLink {
    /// `struct ifinfomsg`: family u8, pad u8, type u16, index s32, flags u32, change u32.
    static let headerLength = 16
    static let interfaceName = NetlinkAttributeType(3, "IFLA_IFNAME")
}

/// Constants of linux/if_addr.h.
enum IfAddr {
    /// `struct ifaddrmsg`: family u8, prefixlen u8, flags u8, scope u8, index u32.
    static let headerLength = 8
    /// The prefix address; for point-to-point links, the peer's.
    static let address = NetlinkAttributeType(1, "IFA_ADDRESS")
    /// The interface's own address, when it differs from `IFA_ADDRESS`.
    static let local = NetlinkAttributeType(2, "IFA_LOCAL")
}

/// The address families of rtnetlink messages, as the one byte they take in a header.
enum AddressFamily {
    static let ipv4 = UInt8(AF_INET)
    static let ipv6 = UInt8(AF_INET6)

    static func of(_ address: IPAddress) -> UInt8 { address.isIPv6 ? ipv6 : ipv4 }
}
