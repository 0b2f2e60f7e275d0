/// Counts over everything an analysis read, so that nothing is dropped silently.
public struct AnalysisStats: Sendable {
    public var packets: UInt64 = 0
    /// Bytes on the wire (original lengths).
    public var wireBytes: UInt64 = 0
    public var capturedBytes: UInt64 = 0
    /// Packets that the analysis filter did not select; they are not counted anywhere else.
    public var filteredOut: UInt64 = 0
    public var ipv4: UInt64 = 0
    public var ipv6: UInt64 = 0
    public var arp: UInt64 = 0
    /// Link-layer payloads that are neither IP nor ARP.
    public var otherNetwork: UInt64 = 0
    /// Packets not decoded past the link layer (unsupported link type or a broken link header).
    public var undecoded: UInt64 = 0
    /// Count of each anomaly, indexed by `DecodeAnomaly.rawValue`.
    public var anomalies = [UInt64](repeating: 0, count: Int(DecodeAnomaly.allCases.map(\.rawValue).max()!) + 1)  // allCases is not empty
    /// How many packets got their direction each way, indexed like `DirectionSource.allCases`.
    /// (Inline, not an array: it is counted on every packet.)
    public var directionSources = InlineArray<5, UInt64>(repeating: 0)
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?

    public init() {}

    /// The anomalies that occurred, with their counts, in a stable order.
    public var anomalyCounts: [(anomaly: DecodeAnomaly, count: UInt64)] {
        DecodeAnomaly.allCases.compactMap { anomaly in
            let count = anomalies[Int(anomaly.rawValue)]
            return count > 0 ? (anomaly, count) : nil
        }
    }

    /// Packets per direction source, in `DirectionSource.allCases` order, zero counts left out.
    public var directionSourceCounts: [(source: DirectionSource, count: UInt64)] {
        DirectionSource.allCases.enumerated().compactMap { index, source in
            directionSources[index] > 0 ? (source, directionSources[index]) : nil
        }
    }

    /// Seconds between the first and the last packet.
    public var spanSeconds: Double {
        guard let firstSeen, let lastSeen else { return 0 }
        return lastSeen.seconds(since: firstSeen)
    }
}
