/// Builds a classic pcap file in memory: little-endian, microsecond timestamps, one link type.
///
/// Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html (magic 0xa1b2c3d4, version 2.4). Used by tests and
/// to write evidence files; the caller writes `bytes` to disk.
public struct PcapWriter: Sendable {
    private var writer = CaptureByteWriter(byteOrder: .little)

    /// The file so far.
    public var bytes: [UInt8] { writer.bytes }

    /// Starts a file with its 24-byte header.
    /// - Parameters:
    ///   - linkType: the LINKTYPE_ of every record.
    ///   - snapLength: the snapshot length in bytes recorded in the header.
    public init(linkType: LinkType, snapLength: Int = 262_144) {
        writer.append(UInt32(0xA1B2_C3D4))
        writer.append(UInt16(2))
        writer.append(UInt16(4))
        writer.append(Int32(0))  // thiszone: always 0 (UTC)
        writer.append(UInt32(0))  // sigfigs: always 0
        writer.append(UInt32(truncatingIfNeeded: snapLength))
        writer.append(linkType.rawValue)
    }

    /// Appends one record.
    /// - Parameters:
    ///   - data: the captured bytes.
    ///   - timestamp: stored with microsecond precision (the nanoseconds below are dropped).
    ///   - originalLength: the length on the wire in bytes; `data.count` when `nil`.
    public mutating func append(_ data: [UInt8], at timestamp: Timestamp, originalLength: Int? = nil) {
        let (seconds, nanoseconds) = Self.split(timestamp)
        writer.append(UInt32(truncatingIfNeeded: seconds))
        writer.append(UInt32(truncatingIfNeeded: nanoseconds / 1000))
        writer.append(UInt32(truncatingIfNeeded: data.count))
        writer.append(UInt32(truncatingIfNeeded: originalLength ?? data.count))
        writer.append(bytes: data)
    }

    /// Whole seconds (rounded down) and the nanoseconds after them.
    static func split(_ timestamp: Timestamp) -> (seconds: Int64, nanoseconds: Int64) {
        let value = timestamp.nanoseconds
        var seconds = value / 1_000_000_000
        var rest = value % 1_000_000_000
        if rest < 0 {
            seconds -= 1
            rest += 1_000_000_000
        }
        return (seconds, rest)
    }
}
