import PathVerifyCore

/// The lab's packets written as the three kinds of offline input pathverify reads.
public enum LabCaptures {
    /// pcapng with one interface block per interface (if_name, if_MACaddr) and the direction
    /// in each packet's epb_flags, as dumpcap -i vmk1 -i vmk2 writes it.
    public static func pcapng(_ packets: [LabTraffic.Packet], host: [LabTraffic.Interface]) -> [UInt8] {
        var writer = PcapngWriter()
        var ids: [String: Int] = [:]
        for interface in host {
            ids[interface.name] = writer.addInterface(
                linkType: .ethernet, snapLength: 128, name: interface.name, macAddress: MACAddress(interface.mac))
        }
        for packet in packets {
            writer.append(
                packet.frame, interfaceID: ids[packet.interface]!, at: packet.timestamp,
                originalLength: packet.wireLength, direction: packet.direction)
        }
        return writer.bytes
    }

    /// One classic pcap per interface with no direction recorded, as tcpdump -i IFACE writes it.
    public static func perInterface(_ packets: [LabTraffic.Packet], host: [LabTraffic.Interface]) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for interface in host {
            var writer = PcapWriter(linkType: .ethernet, snapLength: 128)
            for packet in packets where packet.interface == interface.name {
                writer.append(packet.frame, at: packet.timestamp, originalLength: packet.wireLength)
            }
            files[interface.name] = writer.bytes
        }
        return files
    }

    /// One classic pcap of Linux cooked v2 frames, as tcpdump -i any writes it: each packet
    /// carries its interface's ifindex and its packet type (4 outgoing, 0 to this host).
    public static func sll2(_ packets: [LabTraffic.Packet], host: [LabTraffic.Interface]) -> [UInt8] {
        var writer = PcapWriter(linkType: .linuxSLL2, snapLength: 128)
        for packet in packets {
            let interface = host.first { $0.name == packet.interface }!
            let etherType = Array(packet.frame[12..<14])
            let header =
                etherType + [0, 0] + Frame.be32(UInt32(interface.ifindex)) + [0, 1]
                + [packet.direction == .outbound ? 4 : 0, 6] + Array(packet.frame[6..<12]) + [0, 0]
            writer.append(
                header + Array(packet.frame[14...]), at: packet.timestamp,
                originalLength: packet.wireLength + 6)
        }
        return writer.bytes
    }
}
