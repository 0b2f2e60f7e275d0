extension FlowRecord {
    /// `udp 10.99.0.12:40000 > 10.99.0.22:9999 on eth1 out: 6000 packets, 1.2 MB`.
    public func summary(interface: String) -> String {
        let key = self.key
        var text = "\(IPProtocolName.name(key.ipProtocol)) \(endpoint(key.source, key.sourcePort)) > "
            + endpoint(key.destination, key.destinationPort)
        if key.ipProtocol == 1 || key.ipProtocol == 58, !key.isLaterFragment {
            text += " type \(key.destinationPort >> 8) code \(key.destinationPort & 0xFF)"
        }
        if key.isLaterFragment { text += " (fragments)" }
        if key.vlanTags > 0 { text += " vlan \(key.outerVLAN)" + (key.vlanTags > 1 ? "/\(key.innerVLAN)" : "") }
        return text + " on \(interface) \(key.direction): \(packets) packets, \(bytes) bytes"
    }

    /// `10.99.0.12:40000->10.99.0.22:9999/udp`: the flow as one word, for alert lines.
    public var compact: String {
        "\(endpoint(key.source, key.sourcePort))->\(endpoint(key.destination, key.destinationPort))/"
            + IPProtocolName.name(key.ipProtocol)
    }

    private func endpoint(_ address: IPAddress, _ port: UInt16) -> String {
        guard IPProtocolName.withPorts.contains(key.ipProtocol) && !key.isLaterFragment else { return address.description }
        return address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}
