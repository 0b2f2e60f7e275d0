/// A bounded table of flows, built for the per-packet path.
///
/// Layout: an open-addressing index of 8-byte slots (a 32-bit hash and a position) over a
/// dense array of 64-byte entries (key and hot counters: one cache line), with the cold
/// per-flow facts (first seen, MACs, intent) in a parallel array touched only on insert.
/// Popular flows appear early and so sit together at the front of the dense array.
///
/// When the table holds `capacity` flows, a new flow evicts the least recently seen of a few
/// sampled flows (sampled LRU) and hands it back, so that the caller can still count it.
public struct FlowTable {
    struct Entry {
        var key: FlowKey
        var packets: UInt32
        var bytes: UInt64
        var lastSeen: Int64
    }

    struct Detail {
        var firstSeen: Int64
        var sourceMAC: MACAddress?
        var destinationMAC: MACAddress?
        /// Packets counted past `UInt32.max`, in units of 2^32.
        var packetsHigh: UInt32
        var intent: Int32
    }

    /// The result of recording one packet.
    public struct Update {
        /// The flow's position, valid until the next eviction.
        public var position: Int
        /// Whether this packet created the flow.
        public var inserted: Bool
        /// The flow removed to make room, if the table was full.
        public var evicted: FlowRecord?
    }

    /// The most flows the table holds at once.
    public let capacity: Int
    private var entries: [Entry] = []
    private var details: [Detail] = []
    private var index: [UInt64]
    private var mask: Int
    private var hand = 0
    /// Flows evicted so far, and their packets and bytes.
    public private(set) var evictedFlows = 0
    public private(set) var evictedPackets: UInt64 = 0
    public private(set) var evictedBytes: UInt64 = 0

    /// How many flows are sampled to choose one to evict.
    static let evictionSample = 8

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        let initial = min(1 << 12, FlowTable.indexSize(for: self.capacity))
        index = Array(repeating: 0, count: initial)
        mask = initial - 1
    }

    /// The index size that keeps the load at or under one half.
    static func indexSize(for flows: Int) -> Int {
        var size = 16
        while size < flows * 2 { size <<= 1 }
        return size
    }

    public var count: Int { entries.count }

    /// Counts one packet of `bytes` wire bytes for `key`, creating the flow if needed.
    public mutating func record(
        _ key: FlowKey, bytes: Int, at time: Timestamp, sourceMAC: MACAddress?, destinationMAC: MACAddress?
    ) -> Update {
        let hash = key.fastHash
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let value = index[slot]
            if value == 0 { break }
            if value & 0xFFFF_FFFF_0000_0000 == tag {
                let position = Int(value & 0xFFFF_FFFF) - 1
                if entries[position].key == key {
                    let (packets, overflow) = entries[position].packets.addingReportingOverflow(1)
                    entries[position].packets = packets
                    entries[position].bytes &+= UInt64(bytes)
                    entries[position].lastSeen = max(entries[position].lastSeen, time.nanoseconds)
                    if overflow { details[position].packetsHigh += 1 }
                    return Update(position: position, inserted: false, evicted: nil)
                }
            }
            slot = (slot + 1) & mask
        }
        var evicted: FlowRecord?
        if entries.count >= capacity {
            evicted = evictOne()
            return insert(key, hash: hash, bytes: bytes, at: time, sourceMAC: sourceMAC, destinationMAC: destinationMAC,
                evicted: evicted)
        }
        if (entries.count + 1) * 2 > index.count { grow() }
        return insert(key, hash: hash, bytes: bytes, at: time, sourceMAC: sourceMAC, destinationMAC: destinationMAC,
            evicted: evicted)
    }

    private mutating func insert(
        _ key: FlowKey, hash: UInt64, bytes: Int, at time: Timestamp, sourceMAC: MACAddress?,
        destinationMAC: MACAddress?, evicted: FlowRecord?
    ) -> Update {
        let position = entries.count
        entries.append(Entry(key: key, packets: 1, bytes: UInt64(bytes), lastSeen: time.nanoseconds))
        details.append(
            Detail(
                firstSeen: time.nanoseconds, sourceMAC: sourceMAC, destinationMAC: destinationMAC, packetsHigh: 0,
                intent: -1))
        place(hash: hash, position: position)
        return Update(position: position, inserted: true, evicted: evicted)
    }

    private mutating func place(hash: UInt64, position: Int) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while index[slot] != 0 { slot = (slot + 1) & mask }
        index[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(position + 1)
    }

    private mutating func grow() {
        let size = index.count * 2
        index = Array(repeating: 0, count: size)
        mask = size - 1
        for position in entries.indices { place(hash: entries[position].key.fastHash, position: position) }
    }

    /// Records which intent the flow at `position` matched.
    public mutating func setIntent(_ intent: Int?, at position: Int) {
        details[position].intent = Int32(intent ?? -1)
    }

    /// The flow at `position`.
    public func record(at position: Int) -> FlowRecord {
        let entry = entries[position]
        let detail = details[position]
        return FlowRecord(
            key: entry.key, packets: UInt64(detail.packetsHigh) << 32 | UInt64(entry.packets), bytes: entry.bytes,
            firstSeen: Timestamp(nanoseconds: detail.firstSeen), lastSeen: Timestamp(nanoseconds: entry.lastSeen),
            sourceMAC: detail.sourceMAC, destinationMAC: detail.destinationMAC,
            intent: detail.intent >= 0 ? Int(detail.intent) : nil)
    }

    /// Every flow in the table, in the order they were first seen (evictions aside).
    public var records: [FlowRecord] { entries.indices.map { record(at: $0) } }

    /// Removes the least recently seen of a few flows after the hand and returns it.
    private mutating func evictOne() -> FlowRecord {
        var victim = hand % entries.count
        for step in 1..<min(FlowTable.evictionSample, entries.count) {
            let candidate = (hand + step) % entries.count
            if entries[candidate].lastSeen < entries[victim].lastSeen { victim = candidate }
        }
        hand = (victim + 1) % entries.count
        let record = record(at: victim)
        evictedFlows += 1
        evictedPackets &+= record.packets
        evictedBytes &+= record.bytes
        remove(at: victim)
        return record
    }

    /// Removes the flow at `position`: backward-shift deletion in the index (linear probing
    /// needs no tombstones), then the last entry moves into the hole of the dense arrays.
    private mutating func remove(at position: Int) {
        var hole = slot(of: position)
        var next = (hole + 1) & mask
        while index[next] != 0 {
            let home = Int(truncatingIfNeeded: index[next] >> 32) & mask
            if (next - home) & mask >= (next - hole) & mask {
                index[hole] = index[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        index[hole] = 0
        let last = entries.count - 1
        if position != last {
            let lastSlot = slot(of: last)
            index[lastSlot] = index[lastSlot] & 0xFFFF_FFFF_0000_0000 | UInt64(position + 1)
            entries[position] = entries[last]
            details[position] = details[last]
        }
        entries.removeLast()
        details.removeLast()
    }

    /// The index slot that points at `position`.
    private func slot(of position: Int) -> Int {
        let hash = entries[position].key.fastHash
        var slot = Int(truncatingIfNeeded: hash) & mask
        while Int(index[slot] & 0xFFFF_FFFF) != position + 1 { slot = (slot + 1) & mask }
        return slot
    }
}
