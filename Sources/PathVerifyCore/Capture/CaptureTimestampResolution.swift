/// The unit of a pcapng interface's timestamps: the `if_tsresol` option.
///
/// draft-ietf-opsawg-pcapng §4.2 (Interface Description Block), option `if_tsresol` (9): when the most significant
/// bit is 0 the remaining bits are a negative power of 10 (6 = µs), when it is 1 a negative power of 2. Without the
/// option the unit is 10^-6 s.
public struct CaptureTimestampResolution: Hashable, Sendable, CustomStringConvertible {
    /// The option's byte as the file stores it.
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let microseconds = CaptureTimestampResolution(rawValue: 6)
    public static let nanoseconds = CaptureTimestampResolution(rawValue: 9)

    /// Whether the unit is 2^-exponent (otherwise 10^-exponent).
    public var isPowerOfTwo: Bool { rawValue & 0x80 != 0 }
    public var exponent: Int { Int(rawValue & 0x7F) }

    public var description: String { isPowerOfTwo ? "2^-\(exponent) s" : "10^-\(exponent) s" }

    /// Nanoseconds per unit when that is a whole number (10^-0 … 10^-9), else 0. Precomputed because this
    /// multiplication is on the per-packet path.
    var nanosecondsPerUnit: Int64 {
        guard !isPowerOfTwo, exponent <= 9 else { return 0 }
        var value: Int64 = 1
        for _ in 0..<(9 - exponent) { value *= 10 }
        return value
    }

    /// Converts a count of units to nanoseconds, wrapping rather than trapping on absurd values.
    func nanoseconds(units: UInt64) -> Int64 {
        if isPowerOfTwo {
            let shift = exponent
            guard shift > 0 else { return Int64(bitPattern: units) &* 1_000_000_000 }
            let seconds = shift >= 64 ? 0 : units >> UInt64(shift)
            let fraction = shift >= 64 ? units : units & ((1 << UInt64(shift)) - 1)
            // fraction * 10^9 needs up to 94 bits; take the full product and shift it down.
            let product = fraction.multipliedFullWidth(by: 1_000_000_000)
            let fractionNanoseconds: UInt64
            if shift >= 64 {
                fractionNanoseconds = shift >= 128 ? 0 : product.high >> UInt64(shift - 64)
            } else {
                fractionNanoseconds = (product.low >> UInt64(shift)) | (product.high << UInt64(64 - shift))
            }
            return Int64(bitPattern: seconds) &* 1_000_000_000 &+ Int64(bitPattern: fractionNanoseconds)
        }
        let multiplier = nanosecondsPerUnit
        if multiplier != 0 { return Int64(bitPattern: units) &* multiplier }
        // Finer than a nanosecond: divide. 10^19 is the largest power of 10 in a UInt64; anything finer is 0 ns.
        let excess = exponent - 9
        guard excess <= 19 else { return 0 }
        var divisor: UInt64 = 1
        for _ in 0..<excess { divisor *= 10 }
        return Int64(bitPattern: units / divisor)
    }
}
