/// A 48-bit IEEE 802 hardware address, kept in the low 48 bits of an integer.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue & 0xFFFF_FFFF_FFFF
    }

    public static let zero = MACAddress(rawValue: 0)
    public static let broadcast = MACAddress(rawValue: 0xFFFF_FFFF_FFFF)

    /// Group (multicast or broadcast) addresses have the I/G bit, the lowest bit of the first octet, set.
    public var isGroup: Bool { rawValue & 0x0100_0000_0000 != 0 }

    /// Parses `02:00:00:00:0a:01` (colons or dashes, one or two hex digits per octet).
    public init?(_ text: String) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "-" })
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard (1...2).contains(part.count), let octet = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(octet)
        }
        self.init(rawValue: value)
    }

    public var description: String {
        var text = ""
        for shift in stride(from: 40, through: 0, by: -8) {
            let octet = UInt8(truncatingIfNeeded: rawValue >> UInt64(shift))
            if !text.isEmpty { text += ":" }
            text += Hex.byte(octet)
        }
        return text
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.rawValue < rhs.rawValue }
}

enum Hex {
    private static let digits: [Character] = Array("0123456789abcdef")

    static func byte(_ value: UInt8) -> String {
        String([digits[Int(value >> 4)], digits[Int(value & 0xF)]])
    }
}
