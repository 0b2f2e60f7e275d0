#!/usr/bin/env python3
"""Worked values for TeamHashTests.swift, computed from the kernel's formulas, not from TeamHash.swift.

This script builds each test flow's first frame byte by byte, as it is on the wire, and then hashes it
the way the Linux bonding driver reads that memory. It follows current mainline:
  drivers/net/bonding/bond_main.c   bond_xmit_hash, __bond_xmit_hash, bond_eth_hash,
                                    bond_vlan_srcmac_hash, bond_flow_dissect, bond_flow_ip, bond_ip_hash,
                                    bond_xmit_3ad_xor_slave_get (arr[hash % count])
  net/core/flow_dissector.c         flow_get_u32_src/dst, skb_flow_get_ports, skb_flow_get_icmp_tci,
                                    icmp_has_id
  include/linux/in.h                proto_ports_offset
  include/net/ipv6.h                ipv6_addr_hash
  include/linux/icmp.h, icmpv6.h    icmp_is_err, icmpv6_is_err
The kernel is taken to run on a little-endian 64-bit host (x86-64, arm64). So every read of packet
memory as a C integer is struct.unpack('<...') of the bytes as they sit in the frame, be16_to_cpu is
struct.unpack('>H'), and every header is built with struct.pack('!...') (network order).

VMware's IP hash (vSphere 7.0 networking guide, GUID-523FDFBD: "takes the last octet of both source
and destination IP addresses ... XOR") is at the end; for IPv6 the last byte of each address is our
reading, since VMware documents only IPv4.

Run: python3 Tests/PathVerifyCoreTests/Team/bond_hash_vectors.py
"""

import ipaddress
import struct

# enum netdev_lag_hash / BOND_XMIT_POLICY_* numbering (include/net/bonding.h, IFLA_BOND_XMIT_HASH_POLICY).
LAYER2, LAYER34, LAYER23, ENCAP23, ENCAP34, VLAN_SRCMAC = 0, 1, 2, 3, 4, 5
POLICY_NAMES = {LAYER2: "layer2", LAYER34: "layer3+4", LAYER23: "layer2+3", ENCAP23: "encap2+3",
                ENCAP34: "encap3+4", VLAN_SRCMAC: "vlan+srcmac"}

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_DCCP = 1, 6, 17, 33
IPPROTO_ESP, IPPROTO_AH, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_UDPLITE = 50, 51, 58, 132, 136
IP_MF, IP_OFFSET = 0x2000, 0x1FFF
U32 = 0xFFFFFFFF


# ---------------------------------------------------------------- frames, in network byte order

def mac(text):
    return bytes(int(part, 16) for part in text.split(":"))


def ethhdr(dst, src, proto):
    # struct ethhdr { h_dest[6]; h_source[6]; __be16 h_proto; }. A VLAN tag on a bond's skb is in
    # skb metadata (hardware-accelerated tag), so h_proto is the inner EtherType.
    return mac(dst) + mac(src) + struct.pack("!H", proto)


def ipv4(src, dst, proto, payload, frag_off=0):
    # struct iphdr: ihl/version, tos, tot_len, id, frag_off, ttl, protocol, check, saddr, daddr.
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, frag_off, 64, proto, 0,
                       ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed) + payload


def ipv6(src, dst, nexthdr, payload):
    # struct ipv6hdr: version/class/flow label, payload_len, nexthdr, hop_limit, saddr, daddr.
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, 64,
                       ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed) + payload


def ipv6_fragment(nexthdr, offset, more, payload):
    # RFC 8200 §4.5 fragment header: next header, reserved, offset << 3 | M, identification.
    return struct.pack("!BBHI", nexthdr, 0, offset << 3 | (1 if more else 0), 0xCAFE) + payload


def l4_ports(sport, dport, rest=16):
    # TCP (20 bytes) or UDP (8 bytes) header: only the leading port pair matters to the hash.
    return struct.pack("!HH", sport, dport) + bytes(rest)


def icmp(icmp_type, code, ident=0, seq=0, inner=b""):
    # struct icmphdr: type, code, checksum, un.echo.id, un.echo.sequence (RFC 792, RFC 4443).
    return struct.pack("!BBHHH", icmp_type, code, 0, ident, seq) + inner


# ---------------------------------------------------------------- the kernel, as it reads memory

class FlowKeys:
    """The parts of struct flow_keys that the bonding hash reads."""

    def __init__(self):
        self.addr_type = None      # control.addr_type: "v4" or "v6"
        self.src = b""             # addrs.v4addrs.src (4 bytes) or addrs.v6addrs.src (16 bytes), raw
        self.dst = b""
        self.ports = bytes(4)      # ports.ports, a raw __be32: src port then dst port, network order
        self.icmp = (0, 0, 0)      # icmp: { u8 type; u8 code; u16 id (host order) }


def proto_ports_offset(proto):
    if proto in (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_DCCP, IPPROTO_ESP, IPPROTO_SCTP, IPPROTO_UDPLITE):
        return 0
    if proto == IPPROTO_AH:
        return 4
    return -22  # -EINVAL: ICMP, ICMPv6, GRE, an IPv6 extension header...


def skb_flow_get_ports(data, thoff, ip_proto):
    poff = proto_ports_offset(ip_proto)
    if poff >= 0:
        return data[thoff + poff:thoff + poff + 4]
    return bytes(4)


def icmp_has_id(icmp_type):
    # ICMP_ECHO, ICMP_ECHOREPLY, ICMP_TIMESTAMP, ICMP_TIMESTAMPREPLY, ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY
    return icmp_type in (8, 0, 13, 14, 128, 129)


def icmp_is_err(icmp_type):
    # DEST_UNREACH, SOURCE_QUENCH, REDIRECT, TIME_EXCEEDED, PARAMETERPROB
    return icmp_type in (3, 4, 5, 11, 12)


def icmpv6_is_err(icmp_type):
    # DEST_UNREACH, PKT_TOOBIG, TIME_EXCEED, PARAMPROB
    return icmp_type in (1, 2, 3, 4)


def skb_flow_get_icmp_tci(data, thoff):
    icmp_type, code = data[thoff], data[thoff + 1]
    if icmp_has_id(icmp_type):
        (echo_id,) = struct.unpack("!H", data[thoff + 4:thoff + 6])  # ntohs(ih->un.echo.id)
        return (icmp_type, code, echo_id if echo_id else 1)
    return (icmp_type, code, 0)


def bond_flow_ip(fk, data, l2_proto, state, l34):
    """state = [nhoff, ip_proto], both passed by pointer in C."""
    nhoff = state[0]
    if l2_proto == ETH_P_IP:
        iph = data[nhoff:]
        fk.addr_type, fk.src, fk.dst = "v4", iph[12:16], iph[16:20]   # iph_to_flow_copy_v4addrs
        state[0] = nhoff + ((iph[0] & 0x0F) << 2)
        (frag_off,) = struct.unpack("!H", iph[6:8])
        if not (frag_off & (IP_MF | IP_OFFSET)):                     # !ip_is_fragment(iph)
            state[1] = iph[9]
    elif l2_proto == ETH_P_IPV6:
        iph6 = data[nhoff:]
        fk.addr_type, fk.src, fk.dst = "v6", iph6[8:24], iph6[24:40]  # iph_to_flow_copy_v6addrs
        state[0] = nhoff + 40
        state[1] = iph6[6]                                           # nexthdr, no extension-header walk
    else:
        return False
    if l34 and state[1] >= 0:
        fk.ports = skb_flow_get_ports(data, state[0], state[1])
    return True


def untunnelled_flow_dissect(fk, data, l2_proto, nhoff):
    """__skb_flow_dissect with flow_keys_bonding (encap2+3), for the untunnelled IPv4 and IPv6 frames
    used here: the outer addresses. Tunnels (IPIP, IPv6-in-IP, GRE) would be followed inside; they are
    not modelled, so refuse them."""
    if l2_proto == ETH_P_IP:
        iph = data[nhoff:]
        assert iph[9] not in (4, 41, 47), "tunnel: the full dissector would hash the inner header"
        fk.addr_type, fk.src, fk.dst = "v4", iph[12:16], iph[16:20]
    else:
        iph6 = data[nhoff:]
        assert iph6[6] not in (4, 41, 47), "tunnel: the full dissector would hash the inner header"
        fk.addr_type, fk.src, fk.dst = "v6", iph6[8:24], iph6[24:40]
    return True


def bond_flow_dissect(policy, data, l2_proto, nhoff, fk):
    if policy in (ENCAP23, ENCAP34):
        return untunnelled_flow_dissect(fk, data, l2_proto, nhoff)
    l34 = policy == LAYER34
    state = [nhoff, -1]
    fk.ports = bytes(4)
    fk.icmp = (0, 0, 0)
    if not bond_flow_ip(fk, data, l2_proto, state, l34):
        return False
    if state[1] in (IPPROTO_ICMP, IPPROTO_ICMPV6):
        fk.icmp = skb_flow_get_icmp_tci(data, state[0])
        if state[1] == IPPROTO_ICMP:
            if not icmp_is_err(fk.icmp[0]):
                return True
        else:
            if not icmpv6_is_err(fk.icmp[0]):
                return True
        state[0] += 8  # sizeof(struct icmphdr) == sizeof(struct icmp6hdr) == 8
        return bond_flow_ip(fk, data, l2_proto, state, l34)
    return True


def ipv6_addr_hash(addr):
    # CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS && BITS_PER_LONG == 64 (x86-64, arm64):
    #   const unsigned long *ul = (const unsigned long *)a; x = ul[0] ^ ul[1]; return (u32)(x ^ (x >> 32));
    ul0, ul1 = struct.unpack("<QQ", addr)
    x = ul0 ^ ul1
    folded = (x ^ (x >> 32)) & U32
    # The other branch, s6_addr32[0] ^ s6_addr32[1] ^ s6_addr32[2] ^ s6_addr32[3], must agree.
    w0, w1, w2, w3 = struct.unpack("<IIII", addr)
    assert folded == w0 ^ w1 ^ w2 ^ w3
    return folded


def flow_get_u32(fk, raw):
    if fk.addr_type == "v4":
        (value,) = struct.unpack("<I", raw)  # a __be32 used as a host u32
        return value
    return ipv6_addr_hash(raw)


def bond_ip_hash(hash_, fk, policy):
    hash_ ^= flow_get_u32(fk, fk.dst) ^ flow_get_u32(fk, fk.src)
    hash_ ^= hash_ >> 16
    hash_ ^= hash_ >> 8
    hash_ &= U32
    if policy in (LAYER34, ENCAP34):
        return hash_ >> 1
    return hash_


def bond_eth_hash(frame):
    h_dest, h_source = frame[0:6], frame[6:12]
    (h_proto,) = struct.unpack(">H", frame[12:14])  # be16_to_cpu(ep->h_proto)
    return h_dest[5] ^ h_source[5] ^ h_proto


def bond_vlan_srcmac_hash(frame, vlan_tci):
    srcmac_vendor = 0
    srcmac_dev = 0
    for i in range(0, 3):
        srcmac_vendor = (srcmac_vendor << 8) | frame[6 + i]
    for i in range(3, 6):
        srcmac_dev = (srcmac_dev << 8) | frame[6 + i]
    return vlan_tci ^ srcmac_vendor ^ srcmac_dev  # vlan = skb_vlan_tag_get(skb), the whole TCI


def bond_xmit_hash(policy, frame, vlan_tci=0):
    # bond_xmit_hash returns skb->hash for encap3+4 when skb->l4_hash is set: not computed here.
    assert policy != ENCAP34
    if policy == VLAN_SRCMAC:
        return bond_vlan_srcmac_hash(frame, vlan_tci)
    (l2_proto,) = struct.unpack("!H", frame[12:14])  # skb->protocol, compared with htons(ETH_P_*)
    fk = FlowKeys()
    if policy == LAYER2 or not bond_flow_dissect(policy, frame, l2_proto, 14, fk):
        return bond_eth_hash(frame)
    if policy in (LAYER23, ENCAP23):
        hash_ = bond_eth_hash(frame)
    elif fk.icmp[2]:
        (hash_,) = struct.unpack("<I", struct.pack("<BBH", *fk.icmp))  # memcpy(&hash, &flow.icmp, 4)
    else:
        (hash_,) = struct.unpack("<I", fk.ports)                          # memcpy(&hash, &flow.ports.ports, 4)
    return bond_ip_hash(hash_, fk, policy)


def vmware_ip_hash(src, dst):
    return ipaddress.ip_address(src).packed[-1] ^ ipaddress.ip_address(dst).packed[-1]


# ---------------------------------------------------------------- the vectors

COMPUTED = (LAYER2, LAYER23, ENCAP23, LAYER34, VLAN_SRCMAC)


def show(name, frame, vlan_tci=0, policies=COMPUTED):
    for policy in policies:
        value = bond_xmit_hash(policy, frame, vlan_tci)
        print(f"{name:28} {POLICY_NAMES[policy]:12} 0x{value:08X}  {value:10d}  %2={value % 2} %3={value % 3}")


MAC_A, MAC_B = "52:54:00:12:34:56", "00:1b:21:ab:cd:ef"

print("# bond_xmit_hash, little-endian kernel")

# The flow worked by hand in TeamHashTests.swift.
show("hand-worked ipv4 tcp", ethhdr("02:00:00:00:0a:02", "02:00:00:00:0a:01", ETH_P_IP)
     + ipv4("10.0.0.1", "10.0.0.2", IPPROTO_TCP, l4_ports(40000, 80)), policies=(LAYER34, LAYER23))

TCP4 = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4("192.168.10.21", "192.168.10.57", IPPROTO_TCP, l4_ports(49152, 443))
show("ipv4 tcp", TCP4)

UDP4 = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4("10.99.0.12", "10.99.0.34", IPPROTO_UDP, l4_ports(40000, 4789, 4))
show("ipv4 udp", UDP4)

# Any fragment, the first included: ip_is_fragment() leaves ip_proto at -1, so ports stay 0.
UDP4_FIRST_FRAGMENT = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4(
    "10.99.0.12", "10.99.0.34", IPPROTO_UDP, l4_ports(40000, 4789, 4), frag_off=IP_MF)
show("ipv4 udp first fragment", UDP4_FIRST_FRAGMENT, policies=(LAYER34, LAYER23))
UDP4_LATER_FRAGMENT = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4(
    "10.99.0.12", "10.99.0.34", IPPROTO_UDP, bytes(24), frag_off=185)
show("ipv4 udp later fragment", UDP4_LATER_FRAGMENT, policies=(LAYER34,))

TCP6 = ethhdr(MAC_B, MAC_A, ETH_P_IPV6) + ipv6("2001:db8::10", "2001:db8:0:1::20", IPPROTO_TCP, l4_ports(50000, 22))
show("ipv6 tcp", TCP6)

UDP6 = ethhdr(MAC_B, MAC_A, ETH_P_IPV6) + ipv6("fd00:99::12", "fd00:99::34", IPPROTO_UDP, l4_ports(40000, 4789, 4))
show("ipv6 udp", UDP6, policies=(LAYER23, LAYER34))

# IPv6 fragment: nexthdr is 44, which proto_ports_offset does not know, so ports are 0 as well.
UDP6_FRAGMENT = ethhdr(MAC_B, MAC_A, ETH_P_IPV6) + ipv6(
    "fd00:99::12", "fd00:99::34", 44, ipv6_fragment(IPPROTO_UDP, 0, True, l4_ports(40000, 4789, 4)))
show("ipv6 udp first fragment", UDP6_FRAGMENT, policies=(LAYER34,))

# The same TCP flow sent through a VLAN 100 device on the bond: the tag is skb metadata.
show("ipv4 tcp vlan 100", TCP4, vlan_tci=100, policies=(VLAN_SRCMAC, LAYER23, LAYER34))

# Non-echo, non-error ICMP: proto_ports_offset(ICMP) is -EINVAL, so ports are 0; icmp.id is 0.
ROUTER_SOLICITATION = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4("10.99.0.12", "10.99.0.1", IPPROTO_ICMP, icmp(10, 0))
show("icmp router solicitation", ROUTER_SOLICITATION, policies=(LAYER34, LAYER23))
NEIGHBOR_SOLICITATION = ethhdr(MAC_B, MAC_A, ETH_P_IPV6) + ipv6(
    "fd00:99::12", "fd00:99::34", IPPROTO_ICMPV6, icmp(135, 0) + bytes(16))
show("icmpv6 neighbor solicitation", NEIGHBOR_SOLICITATION, policies=(LAYER34,))

# Echo under layer3+4 hashes the echo identifier, which a flow key does not keep: two identifiers of
# the same flow give two values, so TeamHash answers nil. layer2+3 does not read it.
for ident in (0x1F2E, 0x1F2F):
    echo = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4("10.99.0.12", "10.99.0.34", IPPROTO_ICMP, icmp(8, 0, ident, 1))
    show(f"icmp echo id 0x{ident:04X}", echo, policies=(LAYER34, LAYER23))

# An ICMP error is hashed on the header it quotes (bond_flow_dissect re-runs bond_flow_ip on it), which a
# flow key does not keep: here the quoted datagram is from another host, and the value moves with it.
for quoted_source in ("10.99.0.77", "10.99.0.78"):
    quoted = ipv4(quoted_source, "10.99.0.12", IPPROTO_UDP, l4_ports(5000, 6000, 4))[:28]
    error = ethhdr(MAC_B, MAC_A, ETH_P_IP) + ipv4("10.99.0.12", "10.99.0.34", IPPROTO_ICMP, icmp(3, 3, inner=quoted))
    show(f"icmp port unreachable quoting {quoted_source}", error, policies=(LAYER23, ENCAP23))

print()
print("# bond_ip_hash on the numbers in commit 49aefd131739 (\"bonding: do not discard lowest hash bit for")
print("# non layer3+4 hashing\"): eth part 0xa0/0xa1 ^ 0xe3 ^ 0x8, saddr 0x1e7aa8c0, daddr 0x17aa8c0")
for h_dest in (0xA0, 0xA1):
    fk = FlowKeys()
    fk.addr_type, fk.src, fk.dst = "v4", struct.pack("<I", 0x1E7AA8C0), struct.pack("<I", 0x017AA8C0)
    print(f"h_dest 0x{h_dest:02x}: no shift {bond_ip_hash(h_dest ^ 0xE3 ^ 0x8, fk, LAYER23)}, "
          f"shift {bond_ip_hash(h_dest ^ 0xE3 ^ 0x8, fk, LAYER34)}")
print("address 192.168.122.30 as flow_get_u32_src reads it: 0x%08X" % struct.unpack(
    "<I", ipaddress.IPv4Address("192.168.122.30").packed))

print()
print("# VMware IP hash: last octet (byte) of source XOR last octet of destination")
for src, dst in (("10.0.0.1", "10.0.0.2"), ("10.0.0.5", "10.0.0.6"), ("10.0.0.1", "10.0.0.4"),
                 ("192.168.10.21", "192.168.10.57"), ("2001:db8::10", "2001:db8:0:1::20")):
    value = vmware_ip_hash(src, dst)
    print(f"{src:>16} -> {dst:<18} 0x{value:02X} {value:3d}  %2={value % 2} %3={value % 3}")
