/// Durations as alert lines and options write them: `45s`, `5m`, `90m`, `2h`, `1.5s`.
public enum DurationText {
    /// Whole units where they fit, so that `--clear-after 60s` reads back as `1m`.
    public static func text(_ nanoseconds: Int64) -> String {
        let seconds = Double(nanoseconds) / 1e9
        for (unit, size) in [("h", 3600.0), ("m", 60.0)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : fixed(seconds, 1) + "s"
    }

    /// `10`, `10s`, `2m`, `1h`, `0.5` as nanoseconds; `nil` when it is none of these.
    public static func nanoseconds(_ text: String) -> UInt64? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0, value * scale <= 366 * 86_400 else { return nil }
        return UInt64(value * scale * 1e9)
    }
}
