/// Packets whose flows are counted a batch late, so that the table's cache misses overlap.
///
/// Finding a flow costs one cache miss in a table larger than the caches. Counted at once, each
/// packet waits for its own miss. Here each packet's slot is prefetched when the packet comes
/// in, and its batch is counted only when the next batch is full, by which time its slots are in
/// the cache (see Benchmarks/README.md for what it saves; counting a batch as soon as it was full
/// left its last packets waiting, and a ring that counts each packet exactly `capacity` packets
/// later measured slower). The batches live inline, not in an array: the per-packet path then
/// pays no allocation, reference count or copy-on-write check.
struct PendingFlows {
    /// What counting a packet's flow needs, kept small: every packet is copied in and out.
    struct Packet {
        var key: FlowKey
        var linkType: LinkType
        var hash: UInt64
        var time: Timestamp
        var originalLength: Int
        /// The packet's bytes, for an intent's selector when the packet starts a flow.
        var data: UnsafeRawBufferPointer
        var sourceMAC: PackedMAC
        var destinationMAC: PackedMAC

        init(_ key: FlowKey, hash: UInt64, _ record: CaptureRecord, sourceMAC: MACAddress?, destinationMAC: MACAddress?) {
            self.key = key
            linkType = record.linkType
            self.hash = hash
            time = record.timestamp
            originalLength = record.originalLength
            data = record.data
            self.sourceMAC = PackedMAC(sourceMAC)
            self.destinationMAC = PackedMAC(destinationMAC)
        }

        /// The record again, as far as an intent's selector reads it.
        var record: CaptureRecord {
            CaptureRecord(
                timestamp: time, linkType: linkType, interfaceID: 0, originalLength: originalLength,
                direction: .unknown, data: data)
        }

        /// What fills the slots not in use (not an optional: an optional's extra byte makes every
        /// store a `memcpy` call).
        static var unused: Packet {
            Packet(
                FlowKey(packet: DecodedPacket(), interface: 0, direction: .unknown), hash: 0,
                CaptureRecord(
                    timestamp: Timestamp(nanoseconds: 0), linkType: .ethernet, interfaceID: 0, originalLength: 0,
                    direction: .unknown, data: UnsafeRawBufferPointer(start: nil, count: 0)),
                sourceMAC: nil, destinationMAC: nil)
        }
    }

    /// Packets per batch: enough to cover a miss, few enough that their slots stay in the L1 cache.
    static let capacity = 16

    /// Two batches of `capacity` (32 = 2 × 16; the size of an inline array is a literal): one
    /// filling, the other waiting for its slots to arrive.
    private var packets = InlineArray<32, Packet>(repeating: Packet.unused)
    private var filling = 0
    /// Packets in the filling batch.
    private(set) var count = 0
    /// Packets in the batch before the filling one, not counted yet.
    private(set) var waiting = 0

    init() {}

    var isFull: Bool { count == Self.capacity }

    /// Adds a packet to the filling batch, which must not be full, and starts loading its slot
    /// from `table`.
    @inline(__always)
    mutating func append(
        _ key: FlowKey, _ record: CaptureRecord, sourceMAC: MACAddress?, destinationMAC: MACAddress?,
        prefetchingFrom table: FlowTable
    ) {
        let hash = key.fastHash
        table.prefetch(hash: hash)
        // One check instead of the inline array's three: `filling` is 0 or 1.
        precondition(count < Self.capacity, "append to a full batch")
        packets[unchecked: filling &* Self.capacity &+ count] = Packet(
            key, hash: hash, record, sourceMAC: sourceMAC, destinationMAC: destinationMAC)
        count &+= 1
    }

    /// The waiting batch's packet at `index`.
    @inline(__always)
    subscript(waiting index: Int) -> Packet {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: waiting), "no such waiting packet")
        return packets[unchecked: (1 &- filling) &* Self.capacity &+ index]
    }

    /// The filling batch becomes the waiting one; the caller has counted the waiting one.
    mutating func swap() {
        filling = 1 - filling
        waiting = count
        count = 0
    }
}
