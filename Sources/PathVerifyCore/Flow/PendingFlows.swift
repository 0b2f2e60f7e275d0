/// Packets whose flows are counted a few packets late, so that the table's cache misses overlap.
///
/// Finding a flow costs one cache miss in a table larger than the caches. Counted at once, each
/// packet waits for its own miss. Here each packet's slot is prefetched when the packet comes
/// in, and its flow is counted when the batch is full, by which time the slot is in the cache
/// (see Benchmarks/README.md for what it saves).
struct PendingFlows {
    struct Packet {
        var key: FlowKey
        var hash: UInt64
        var record: CaptureRecord
        var sourceMAC: MACAddress?
        var destinationMAC: MACAddress?
    }

    /// Enough packets to cover a miss, few enough that their slots stay in the L1 cache.
    static let capacity = 16

    private(set) var packets: [Packet] = []

    init() { packets.reserveCapacity(Self.capacity) }

    var isFull: Bool { packets.count >= Self.capacity }

    /// Adds a packet and starts loading its slot from `table`.
    mutating func append(
        _ key: FlowKey, _ record: CaptureRecord, sourceMAC: MACAddress?, destinationMAC: MACAddress?,
        prefetchingFrom table: FlowTable
    ) {
        let hash = key.fastHash
        table.prefetch(hash: hash)
        packets.append(
            Packet(key: key, hash: hash, record: record, sourceMAC: sourceMAC, destinationMAC: destinationMAC))
    }

    mutating func removeAll() { packets.removeAll(keepingCapacity: true) }
}
