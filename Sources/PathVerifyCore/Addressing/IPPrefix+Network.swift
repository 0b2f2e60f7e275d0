extension IPPrefix {
    /// The prefix with its host bits cleared: `10.99.0.12/24` → `10.99.0.0/24`.
    public var network: IPPrefix {
        let bits = address.bitWidth - length
        if !address.isIPv6 {
            let mask: UInt32 = bits >= 32 ? 0 : UInt32.max << UInt32(bits)
            return IPPrefix(address: IPAddress(ipv4: address.ipv4Value & mask), length: length)
        }
        let highMask: UInt64 = length >= 64 ? .max : length == 0 ? 0 : UInt64.max << UInt64(64 - length)
        let lowMask: UInt64 = length <= 64 ? 0 : length >= 128 ? .max : UInt64.max << UInt64(128 - length)
        return IPPrefix(address: IPAddress(ipv6High: address.high & highMask, low: address.low & lowMask), length: length)
    }

    /// The first address after the network address that is not in `excluded`, within the
    /// first 256 of the prefix; the address itself for a host prefix.
    func firstHost(excluding excluded: Set<IPAddress>) -> IPAddress? {
        let network = self.network.address
        guard length < address.bitWidth else { return excluded.contains(network) ? nil : network }
        for offset in UInt64(1)...256 {
            let candidate =
                network.isIPv6
                ? IPAddress(ipv6High: network.high, low: network.low &+ offset)
                : IPAddress(ipv4: network.ipv4Value &+ UInt32(offset))
            guard contains(candidate) else { return nil }
            if !excluded.contains(candidate) { return candidate }
        }
        return nil
    }
}
