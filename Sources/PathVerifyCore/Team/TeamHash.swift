/// The transmit hashes that pick a team's uplink for a flow: Linux bonding's `xmit_hash_policy`
/// and VMware's "Route based on IP hash".
///
/// The Linux hash is computed as the kernel computes it on a little-endian host (x86-64, arm64),
/// whatever host this code runs on. The kernel reads header fields straight from packet memory,
/// so a big-endian field read as a `u32` comes out byte-swapped against its numeric value.
/// Sources (current mainline):
/// - drivers/net/bonding/bond_main.c: `bond_xmit_hash`, `__bond_xmit_hash`, `bond_eth_hash`,
///   `bond_vlan_srcmac_hash`, `bond_flow_dissect`, `bond_flow_ip`, `bond_ip_hash`,
///   `bond_xmit_3ad_xor_slave_get`.
/// - net/core/flow_dissector.c: `flow_get_u32_src`/`flow_get_u32_dst`, `skb_flow_get_ports`,
///   `skb_flow_get_icmp_tci`, `icmp_has_id`. include/linux/in.h: `proto_ports_offset`.
///   include/net/ipv6.h: `ipv6_addr_hash`. include/linux/icmp.h and icmpv6.h: `icmp_is_err`,
///   `icmpv6_is_err`.
/// - Documentation/networking/bonding.rst, `xmit_hash_policy`.
///
/// Kernel history that changes the values:
/// - Commit b5f862180d70 ("bonding: discard lowest hash bit for 802.3ad layer3+4", 2017) added
///   `hash >> 1` for every IP policy. Commit 49aefd131739 ("bonding: do not discard lowest hash
///   bit for non layer3+4 hashing", 2022, v5.18, also backported to 5.15.y) kept it only for
///   layer3+4 and encap3+4. Kernels between the two also shift layer2+3 and encap2+3.
/// - The XDP support patch ("net: bonding: Add XDP support to the bonding driver", 2021, about
///   v5.15) changed `bond_eth_hash` from the raw `h_proto` to `be16_to_cpu(h_proto)`. Older kernels
///   XOR in 0x0008 for IPv4 (0xDD86 for IPv6) instead of 0x0800 (0x86DD).
///
/// These functions do not allocate. They run once per flow, not per packet.
public enum TeamHash {
    /// Linux bonding's transmit hash (`__bond_xmit_hash`) for the flow, or `nil` when the flow
    /// key does not hold what the kernel reads.
    ///
    /// - `layer2`: `bond_eth_hash` only.
    /// - `layer2+3`: `bond_ip_hash` seeded with `bond_eth_hash`, no shift.
    /// - `encap2+3`: the same as layer2+3 for untunnelled traffic. The kernel gets the addresses
    ///   from the full flow dissector (`flow_keys_bonding`), which follows IP-in-IP, IPv6-in-IP
    ///   and GRE to the inner header. It does not look inside ICMP errors.
    /// - `layer3+4`: `bond_ip_hash` seeded with the port pair, then `>> 1`.
    /// - `vlan+srcmac`: VLAN ID XOR the source MAC's first three bytes XOR its last three.
    ///
    /// The result is `nil` when:
    /// - a MAC the policy reads is missing (both for layer2, layer2+3 and encap2+3; the source
    ///   for vlan+srcmac);
    /// - the policy is encap3+4. `bond_xmit_hash` returns `skb->hash` when `skb->l4_hash` is set,
    ///   and locally made TCP has it;
    /// - layer3+4 meets an ICMP type with an identifier (echo and timestamp, request and reply,
    ///   ICMPv6 echo). The hash then reads the identifier (`flow.icmp.id`), which the flow key
    ///   does not keep;
    /// - layer3+4, layer2+3 or encap2+3 needs a header the key does not keep. layer3+4 and
    ///   layer2+3 hash an ICMP or ICMPv6 error on the datagram it quotes. layer3+4 reads the SPI
    ///   of ESP and AH as ports. encap2+3 hashes a tunnel's inner addresses.
    ///
    /// Not modelled: the input has only the VLAN ID, but `skb_vlan_tag_get` returns the whole
    /// TCI, so for vlan+srcmac we assume priority 0 (no `egress-qos-map`) and DEI 0. The kernel's
    /// `bond_flow_ip` takes the protocol from the fixed IPv6 header. An IPv6 packet with an
    /// extension header before TCP or UDP therefore hashes with ports 0, and the input cannot say
    /// so. Locally made TCP and UDP rarely carry one.
    public static func bond(_ policy: BondHashPolicy, _ input: TeamHashInput) -> UInt32? {
        switch policy {
        case .layer2:
            return ethernetHash(input)
        case .layer23:
            guard let seed = ethernetHash(input), !hashesQuotedHeader(input) else { return nil }
            return ipHash(seed, input, policy: policy)
        case .encap23:
            guard let seed = ethernetHash(input), !isTunnel(input) else { return nil }
            return ipHash(seed, input, policy: policy)
        case .layer34:
            guard let seed = layer34Seed(input) else { return nil }
            return ipHash(seed, input, policy: policy)
        case .encap34:
            return nil
        case .vlanSourceMAC:
            guard let source = input.sourceMAC else { return nil }
            // bond_vlan_srcmac_hash: bytes 0-2 and 3-5 of h_source, each as a 24-bit big-endian int.
            let vendor = UInt32(truncatingIfNeeded: source.rawValue >> 24)
            let device = UInt32(truncatingIfNeeded: source.rawValue & 0xFF_FFFF)
            return UInt32(input.vlan) ^ vendor ^ device
        }
    }

    /// VMware's "Route based on IP hash": the last octet of the source address XOR the last octet
    /// of the destination (vSphere 7.0 networking guide, GUID-523FDFBD: "takes the last octet of
    /// both source and destination IP addresses in the packet, puts them through a XOR operation").
    ///
    /// For IPv6 this takes the last byte of each address. That is our reading, not VMware's:
    /// VMware documents only IPv4. The guide's "another calculation based on the number of
    /// uplinks" is read as `index(of:among:)` (modulo), which VMware does not spell out either.
    public static func vmwareIP(_ input: TeamHashInput) -> UInt32 {
        UInt32(input.source.low & 0xFF) ^ UInt32(input.destination.low & 0xFF)
    }

    /// The uplink index a hash picks among `count` usable uplinks: `hash % count`, as
    /// `bond_xmit_3ad_xor_slave_get` picks `usable_slaves->arr[hash % count]`.
    ///
    /// `count` must be positive. With no usable uplink the kernel drops the packet, and the
    /// caller has no uplink to name. A count of 0 or less is therefore a caller bug, not a state
    /// of the network.
    public static func index(of hash: UInt32, among count: Int) -> Int {
        precondition(count > 0, "TeamHash.index: a team with no usable uplink picks none")
        return Int(UInt64(hash) % UInt64(count))
    }

    // MARK: - The kernel's pieces

    /// `bond_eth_hash`: `h_dest[5] ^ h_source[5] ^ be16_to_cpu(h_proto)`. A VLAN tag on a bond's
    /// packet is in skb metadata (the 8021q default, `reorder_hdr on`), so `h_proto` is the IP
    /// EtherType. With `reorder_hdr off` the tag should sit in the frame instead, with
    /// `skb->protocol` 0x8100. Dissection would then fail and the IP policies would fall back to
    /// this hash with `h_proto` 0x8100. That case is not modelled, and it was not checked in the
    /// 8021q source.
    static func ethernetHash(_ input: TeamHashInput) -> UInt32? {
        guard let source = input.sourceMAC, let destination = input.destinationMAC else { return nil }
        let etherType: UInt32 = input.source.isIPv6 ? 0x86DD : 0x0800
        return UInt32(destination.rawValue & 0xFF) ^ UInt32(source.rawValue & 0xFF) ^ etherType
    }

    /// `bond_ip_hash` over the flow's addresses.
    static func ipHash(_ seed: UInt32, _ input: TeamHashInput, policy: BondHashPolicy) -> UInt32 {
        ipHash(seed, source: addressWord(input.source), destination: addressWord(input.destination), policy: policy)
    }

    /// `bond_ip_hash`: fold the addresses into `hash`, then drop the lowest bit for layer3+4 and
    /// encap3+4 only ("the common even ports pattern").
    static func ipHash(_ seed: UInt32, source: UInt32, destination: UInt32, policy: BondHashPolicy) -> UInt32 {
        var hash = seed ^ destination ^ source
        hash ^= hash >> 16
        hash ^= hash >> 8
        return policy == .layer34 || policy == .encap34 ? hash >> 1 : hash
    }

    /// `flow_get_u32_src`/`flow_get_u32_dst` on a little-endian host. An IPv4 address is its raw
    /// `__be32` used as a host `u32`, so 10.0.0.1 (0x0A000001) enters as 0x0100000A. An IPv6
    /// address enters as `ipv6_addr_hash`: on 64-bit hosts `x = ul[0] ^ ul[1]; (u32)(x ^ (x >> 32))`,
    /// which equals the XOR of the four 32-bit words read the same way.
    static func addressWord(_ address: IPAddress) -> UInt32 {
        guard address.isIPv6 else { return address.ipv4Value.byteSwapped }
        let words =
            UInt32(truncatingIfNeeded: address.high >> 32) ^ UInt32(truncatingIfNeeded: address.high)
            ^ UInt32(truncatingIfNeeded: address.low >> 32) ^ UInt32(truncatingIfNeeded: address.low)
        return words.byteSwapped
    }

    /// The layer3+4 seed: `memcpy(&hash, &flow.ports.ports, 4)`, or `nil` where the kernel reads
    /// something the flow key does not keep.
    static func layer34Seed(_ input: TeamHashInput) -> UInt32? {
        // bond_flow_ip sets no protocol for an IPv4 fragment (ip_is_fragment, the first included). For
        // IPv6 it takes nexthdr 44, which proto_ports_offset does not know. Either way the ports stay 0,
        // and no ICMP header is read.
        if input.isFragment { return 0 }
        switch input.ipProtocol {
        case IPProtocolNumber.icmp, IPProtocolNumber.icmpv6:
            // Checked in the source: bond_flow_dissect zeroes flow.ports and flow.icmp first. In
            // bond_flow_ip, skb_flow_get_ports returns 0 when proto_ports_offset is negative, and
            // proto_ports_offset (include/linux/in.h) gives 0 only for TCP, UDP, DCCP, ESP, SCTP and
            // UDP-Lite, 4 for AH, and -EINVAL for anything else, ICMP and ICMPv6 included. So the
            // seed is 0 unless skb_flow_get_icmp_tci found an identifier (then __bond_xmit_hash
            // copies the raw {type, code, id}), or the message is an error (then bond_flow_ip
            // re-runs on the quoted header). The kernel tells ICMP from ICMPv6 by protocol number,
            // as here.
            let type = UInt8(truncatingIfNeeded: input.destinationPort >> 8)
            return hasIdentifier(type) || hashesQuotedHeader(input) ? nil : 0
        case IPProtocolNumber.tcp, IPProtocolNumber.udp, IPProtocolNumber.dccp, IPProtocolNumber.sctp,
            IPProtocolNumber.udpLite:
            // proto_ports_offset 0: source then destination port in network order, used as a host u32.
            return UInt32(input.sourcePort.byteSwapped) | UInt32(input.destinationPort.byteSwapped) << 16
        case IPProtocolNumber.esp, IPProtocolNumber.ah:
            // proto_ports_offset 0 (ESP) or 4 (AH): the SPI is hashed as the ports.
            return nil
        default:
            // proto_ports_offset -EINVAL (GRE, OSPF, ...): ports 0.
            return 0
        }
    }

    /// `icmp_has_id`. It is one list for both families: ICMP echo reply and request (0, 8),
    /// timestamp and reply (13, 14), ICMPv6 echo request and reply (128, 129).
    static func hasIdentifier(_ type: UInt8) -> Bool {
        switch type {
        case 0, 8, 13, 14, 128, 129: true
        default: false
        }
    }

    /// Whether `bond_flow_dissect` (layer2+3, layer3+4) takes the addresses, and for layer3+4 the
    /// ports, from the header an ICMP error quotes. That is the case for an unfragmented ICMP
    /// error (`icmp_is_err`: 3, 4, 5, 11, 12) and ICMPv6 error (`icmpv6_is_err`: 1-4).
    static func hashesQuotedHeader(_ input: TeamHashInput) -> Bool {
        guard !input.isFragment else { return false }
        let type = UInt8(truncatingIfNeeded: input.destinationPort >> 8)
        switch (input.ipProtocol, type) {
        case (IPProtocolNumber.icmp, 3), (IPProtocolNumber.icmp, 4), (IPProtocolNumber.icmp, 5),
            (IPProtocolNumber.icmp, 11), (IPProtocolNumber.icmp, 12):
            return true
        case (IPProtocolNumber.icmpv6, 1...4):
            return true
        default:
            return false
        }
    }

    /// Whether the full flow dissector (encap2+3) hashes inner addresses: IP-in-IP (4),
    /// IPv6-in-IP (41) and GRE (47) are followed when the packet is not a fragment.
    static func isTunnel(_ input: TeamHashInput) -> Bool {
        guard !input.isFragment else { return false }
        switch input.ipProtocol {
        case 4, 41, 47: return true
        default: return false
        }
    }

    /// IANA protocol numbers that the hash looks at.
    enum IPProtocolNumber {
        static let icmp: UInt8 = 1
        static let tcp: UInt8 = 6
        static let udp: UInt8 = 17
        static let dccp: UInt8 = 33
        static let esp: UInt8 = 50
        static let ah: UInt8 = 51
        static let icmpv6: UInt8 = 58
        static let sctp: UInt8 = 132
        static let udpLite: UInt8 = 136
    }
}
