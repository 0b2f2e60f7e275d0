/// An IPv4 or IPv6 address.
///
/// Both families share one 128-bit layout so that flow keys stay fixed-size: an IPv4 address
/// is kept in the low 32 bits with `isIPv6 == false`.
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public var isIPv6: Bool

    public init(ipv4 value: UInt32) {
        high = 0
        low = UInt64(value)
        isIPv6 = false
    }

    public init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        isIPv6 = true
    }

    /// The address as a 32-bit integer; meaningful for IPv4 only.
    public var ipv4Value: UInt32 { UInt32(truncatingIfNeeded: low) }

    /// The number of bits in an address of this family.
    public var bitWidth: Int { isIPv6 ? 128 : 32 }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (`::` and a trailing dotted quad allowed).
    public init?(_ text: String) {
        if text.contains(":") {
            guard let (high, low) = IPAddress.parseIPv6(Substring(text)) else { return nil }
            self.init(ipv6High: high, low: low)
        } else {
            guard let value = IPAddress.parseIPv4(Substring(text)) else { return nil }
            self.init(ipv4: value)
        }
    }

    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if index == fields.count - 1, allowIPv4Tail, field.contains(".") {
                    guard let v4 = parseIPv4(field) else { return nil }
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xFFFF))
                } else {
                    guard (1...4).contains(field.count), let group = UInt16(field, radix: 16) else { return nil }
                    result.append(group)
                }
            }
            return result
        }
        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false),
                let tail = groups(halves[1], allowIPv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowIPv4Tail: true), only.count == 8 else { return nil }
            all = only
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in all[0..<4] { high = high << 16 | UInt64(group) }
        for group in all[4..<8] { low = low << 16 | UInt64(group) }
        return (high, low)
    }

    /// Dotted quad for IPv4; RFC 5952 text for IPv6 (lower case, longest zero run as `::`).
    public var description: String {
        guard isIPv6 else {
            let value = ipv4Value
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        }
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
        // RFC 5952 §4.2: compress the longest run (of two or more) of zero groups, the first if tied.
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        func render(_ slice: ArraySlice<UInt16>) -> String {
            slice.map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return render(groups[...]) }
        return render(groups[0..<bestStart]) + "::" + render(groups[(bestStart + bestLength)...])
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.isIPv6 ? 1 : 0, lhs.high, lhs.low) < (rhs.isIPv6 ? 1 : 0, rhs.high, rhs.low)
    }
}

/// An address with a prefix length: `10.99.0.12/24` names both the address and its subnet.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var length: Int

    public init(address: IPAddress, length: Int) {
        self.address = address
        self.length = max(0, min(length, address.bitWidth))
    }

    /// Parses `10.99.0.0/24`, `2001:db8::/64`, or a bare address (a host prefix).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        if parts.count == 2 {
            guard let length = Int(parts[1]), parts[1].allSatisfy(\.isASCII), (0...address.bitWidth).contains(length)
            else { return nil }
            self.init(address: address, length: length)
        } else {
            self.init(address: address, length: address.bitWidth)
        }
    }

    /// Whether `candidate` lies in this prefix (never across families).
    public func contains(_ candidate: IPAddress) -> Bool {
        guard candidate.isIPv6 == address.isIPv6 else { return false }
        if !address.isIPv6 {
            guard length > 0 else { return true }
            let mask = UInt32.max << UInt32(32 - length)
            return candidate.ipv4Value & mask == address.ipv4Value & mask
        }
        if length <= 64 {
            guard length > 0 else { return true }
            let mask = UInt64.max << UInt64(64 - length)
            return candidate.high & mask == address.high & mask
        }
        let mask = UInt64.max << UInt64(128 - length)
        return candidate.high == address.high && candidate.low & mask == address.low & mask
    }

    /// Whether the two prefixes' subnets overlap (one contains the other's network).
    public func overlaps(_ other: IPPrefix) -> Bool {
        let shorter = length <= other.length ? self : other
        let longer = length <= other.length ? other : self
        return shorter.contains(longer.address)
    }

    public var description: String { "\(address)/\(length)" }
}
