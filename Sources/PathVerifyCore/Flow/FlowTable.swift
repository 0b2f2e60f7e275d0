import CPathVerifyHints

/// A bounded table of flows, built for the per-packet path.
///
/// Layout: open addressing with linear probing straight over 64-byte entries (key and hot
/// counters, aligned to cache lines), so that finding a flow costs one cache miss, as in
/// bench/ref/pcap_flows.c. The cold per-flow facts (first seen, MACs, intent) sit in a dense
/// array of 32-byte elements, one per flow, touched only on insert and when a flow is read out;
/// what a flow's 32-bit counters no longer hold (past 4 Gi packets or 4 GiB) sits in a third
/// array, for the few flows that need it. An entry with no packets is an empty slot. The slots
/// double before the table is more than three quarters full, up to what `capacity` flows need:
/// fuller slots would cost more probes, emptier ones more memory (each slot is a cache line).
/// Large slot arrays sit on transparent huge pages (`pv_table_allocate`).
///
/// When the table holds `capacity` flows, a new flow evicts the least recently seen of a few
/// sampled flows (sampled LRU); the caller takes it with `takeEvicted()` and can still count it.
public struct FlowTable: @unchecked Sendable {  // `Storage` is copied before any shared mutation
    struct Entry {
        var key: FlowKey
        /// 0 marks an empty slot: a live flow's count wraps to 1, never 0 (see `Detail`).
        var packets: UInt32
        var bytes: UInt32
        /// The flow's element in `details`.
        var detail: UInt32
        var lastSeen: Int64
    }

    struct Detail {
        var firstSeen: Int64
        var sourceMAC: PackedMAC
        var destinationMAC: PackedMAC
        var intent: Int32
        /// The flow's element in `carries`, or `noCarry` while its counters have not wrapped.
        var carry: UInt32
    }

    /// What an entry's 32-bit counters no longer hold.
    struct Carry {
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
    }

    static let noCarry = UInt32.max

    /// Where a packet was counted.
    public struct Update {
        /// The flow's slot, valid until the table next inserts a flow.
        public var position: Int
        /// Whether this packet created the flow. Only then may a flow have been evicted.
        public var inserted: Bool
    }

    /// The slots, aligned to cache lines (an array would not be).
    final class Storage {
        let entries: UnsafeMutablePointer<Entry>
        let slots: Int

        init(slots: Int) {
            self.slots = slots
            // Zeroed (an all-zero entry is an empty slot) and, when large, on huge pages.
            guard let raw = pv_table_allocate(slots * MemoryLayout<Entry>.stride) else {
                fatalError("out of memory for a flow table of \(slots) slots")
            }
            entries = raw.bindMemory(to: Entry.self, capacity: slots)
        }

        func copy() -> Storage {
            let copy = Storage(slots: slots)
            copy.entries.update(from: entries, count: slots)
            return copy
        }

        deinit { pv_table_deallocate(entries, slots * MemoryLayout<Entry>.stride) }
    }

    /// The most flows the table holds at once.
    public let capacity: Int
    private var storage: Storage
    private var mask: Int
    /// One element per flow, found through `Entry.detail`; removed flows leave their element
    /// on the free list for the next one.
    private var details: [Detail] = []
    private var freeDetails: [UInt32] = []
    private var carries: [Carry] = []
    private var freeCarries: [UInt32] = []
    public private(set) var count = 0
    private var hand = 0
    private var evicted: FlowRecord?
    /// Flows evicted so far, and their packets and bytes.
    public private(set) var evictedFlows = 0
    public private(set) var evictedPackets: UInt64 = 0
    public private(set) var evictedBytes: UInt64 = 0

    /// How many flows are sampled to choose one to evict.
    static let evictionSample = 8

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        let slots = min(1 << 12, FlowTable.slots(for: self.capacity))
        storage = Storage(slots: slots)
        mask = slots - 1
    }

    /// The slot count that keeps the load at or under three quarters.
    static func slots(for flows: Int) -> Int {
        var size = 16
        while size * 3 < flows * 4 { size <<= 1 }
        return size
    }

    /// Counts one packet of `bytes` wire bytes for `key`, creating the flow if needed; a new
    /// flow keeps the packet's hardware addresses.
    public mutating func record(
        _ key: FlowKey, bytes: Int, at time: Timestamp, sourceMAC: MACAddress?, destinationMAC: MACAddress?
    ) -> Update {
        makeStorageUnique()
        let update = recordInUniqueStorage(key, hash: key.fastHash, bytes: bytes, at: time)
        if update.inserted {
            setAddresses(source: PackedMAC(sourceMAC), destination: PackedMAC(destinationMAC), at: update.position)
        }
        return update
    }

    /// Copies the slots if another table shares them, as `recordInUniqueStorage` needs.
    mutating func makeStorageUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// `record` for a batch of packets, with the key's `fastHash` already computed: the caller
    /// made the storage unique once for all of them, and sets a new flow's addresses itself
    /// (`setAddresses`), so that the per-packet path carries only what every packet needs.
    @inline(__always)
    mutating func recordInUniqueStorage(_ key: FlowKey, hash: UInt64, bytes: Int, at time: Timestamp) -> Update {
        let entries = storage.entries
        var slot = Int(truncatingIfNeeded: hash) & mask
        while entries[slot].packets != 0 {
            if entries[slot].key.sameFlow(as: key) {
                add(bytes: bytes, at: time, to: entries + slot)
                return Update(position: slot, inserted: false)
            }
            slot = (slot &+ 1) & mask
        }
        return insert(key, hash: hash, bytes: bytes, at: time)
    }

    /// Starts loading the home slot of `hash`, and the slot after it, for a `record` soon after:
    /// at three quarters full the home slot often holds another flow, and a probe to an
    /// unloaded next slot waited as long as all the home slots together (perf, medium.pcap).
    @inline(__always)
    func prefetch(hash: UInt64) {
        let slot = Int(truncatingIfNeeded: hash) & mask
        pv_prefetch_for_write(storage.entries + slot)
        pv_prefetch_for_write(storage.entries + ((slot &+ 1) & mask))
    }

    @inline(__always)
    private mutating func add(bytes: Int, at time: Timestamp, to entry: UnsafeMutablePointer<Entry>) {
        let (sum, carried) = entry.pointee.bytes.addingReportingOverflow(UInt32(truncatingIfNeeded: bytes))
        entry.pointee.bytes = sum
        if carried || entry.pointee.packets == .max || bytes > UInt32.max { carry(bytes: bytes, carried, entry) }
        entry.pointee.packets &+= 1
        entry.pointee.lastSeen = max(entry.pointee.lastSeen, time.nanoseconds)
    }

    /// Moves what the 32-bit counters cannot hold into the flow's carry (rare: every 4 GiB).
    private mutating func carry(bytes: Int, _ carried: Bool, _ entry: UnsafeMutablePointer<Entry>) {
        let carry = carryIndex(of: Int(entry.pointee.detail))
        if carried { carries[carry].bytes += 1 << 32 }
        carries[carry].bytes += UInt64(bytes) & ~0xFFFF_FFFF
        if entry.pointee.packets == .max {
            carries[carry].packets += UInt64(UInt32.max) - 1
            entry.pointee.packets = 1
        }
    }

    /// The element in `carries` of the flow whose detail is at `detail`, created on first use.
    private mutating func carryIndex(of detail: Int) -> Int {
        if details[detail].carry == Self.noCarry {
            if let free = freeCarries.popLast() {
                carries[Int(free)] = Carry()
                details[detail].carry = free
            } else {
                details[detail].carry = UInt32(carries.count)
                carries.append(Carry())
            }
        }
        return Int(details[detail].carry)
    }

    private mutating func insert(_ key: FlowKey, hash: UInt64, bytes: Int, at time: Timestamp) -> Update {
        if count >= capacity {
            evictOne()
        } else if (count + 1) * 4 > storage.slots * 3, storage.slots < FlowTable.slots(for: capacity) {
            grow()
        }
        let detail = Detail(
            firstSeen: time.nanoseconds, sourceMAC: .none, destinationMAC: .none, intent: -1, carry: Self.noCarry)
        let index: UInt32
        if let free = freeDetails.popLast() {
            index = free
            details[Int(free)] = detail
        } else {
            index = UInt32(details.count)
            details.append(detail)
        }
        if bytes > UInt32.max { carries[carryIndex(of: Int(index))].bytes = UInt64(bytes) & ~0xFFFF_FFFF }
        let slot = emptySlot(for: hash)
        storage.entries[slot] = Entry(
            key: key, packets: 1, bytes: UInt32(truncatingIfNeeded: bytes), detail: index, lastSeen: time.nanoseconds)
        count += 1
        return Update(position: slot, inserted: true)
    }

    /// The first empty slot on `hash`'s probe sequence.
    private func emptySlot(for hash: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while storage.entries[slot].packets != 0 { slot = (slot + 1) & mask }
        return slot
    }

    private mutating func grow() {
        let old = storage
        storage = Storage(slots: old.slots * 2)
        mask = storage.slots - 1
        for slot in 0..<old.slots where old.entries[slot].packets != 0 {
            storage.entries[emptySlot(for: old.entries[slot].key.fastHash)] = old.entries[slot]
        }
    }

    /// The flow evicted by the last insert, if it evicted one; it is handed out once.
    public mutating func takeEvicted() -> FlowRecord? {
        defer { evicted = nil }
        return evicted
    }

    /// Records the hardware addresses of the flow at `position` (those of its first packet).
    mutating func setAddresses(source: PackedMAC, destination: PackedMAC, at position: Int) {
        let detail = Int(storage.entries[position].detail)
        details[detail].sourceMAC = source
        details[detail].destinationMAC = destination
    }

    /// Records which intent the flow at `position` matched.
    public mutating func setIntent(_ intent: Int?, at position: Int) {
        details[Int(storage.entries[position].detail)].intent = Int32(intent ?? -1)
    }

    /// The flow at `position`.
    public func record(at position: Int) -> FlowRecord {
        let entry = storage.entries[position]
        let detail = details[Int(entry.detail)]
        let carry = detail.carry == Self.noCarry ? Carry() : carries[Int(detail.carry)]
        return FlowRecord(
            key: entry.key, packets: carry.packets + UInt64(entry.packets), bytes: carry.bytes + UInt64(entry.bytes),
            firstSeen: Timestamp(nanoseconds: detail.firstSeen), lastSeen: Timestamp(nanoseconds: entry.lastSeen),
            sourceMAC: detail.sourceMAC.value, destinationMAC: detail.destinationMAC.value,
            intent: detail.intent >= 0 ? Int(detail.intent) : nil)
    }
    /// Calls `body` with every flow in the table, in slot order.
    public func forEach(_ body: (FlowRecord) -> Void) {
        for slot in 0..<storage.slots where storage.entries[slot].packets != 0 { body(record(at: slot)) }
    }

    /// Every flow in the table, in slot order.
    public var records: [FlowRecord] {
        var result: [FlowRecord] = []
        result.reserveCapacity(count)
        forEach { result.append($0) }
        return result
    }

    /// Removes the least recently seen of a few flows after the hand, keeping it for `takeEvicted`.
    private mutating func evictOne() {
        let entries = storage.entries
        var victim = -1
        var sampled = 0
        var slot = hand & mask
        while sampled < FlowTable.evictionSample {
            if entries[slot].packets != 0 {
                if victim < 0 || entries[slot].lastSeen < entries[victim].lastSeen { victim = slot }
                sampled += 1
                if sampled == count { break }
            }
            slot = (slot + 1) & mask
        }
        hand = slot
        let record = record(at: victim)
        evictedFlows += 1
        evictedPackets &+= record.packets
        evictedBytes &+= record.bytes
        evicted = record
        remove(at: victim)
    }

    /// Empties `slot` by backward-shift deletion: linear probing then needs no tombstones.
    private mutating func remove(at slot: Int) {
        let entries = storage.entries
        let detail = entries[slot].detail
        freeDetails.append(detail)
        if details[Int(detail)].carry != Self.noCarry { freeCarries.append(details[Int(detail)].carry) }
        var hole = slot
        var next = (hole + 1) & mask
        while entries[next].packets != 0 {
            let home = Int(truncatingIfNeeded: entries[next].key.fastHash) & mask
            // Move the entry back unless its home lies cyclically in (hole, next].
            if (next - home) & mask >= (next - hole) & mask {
                entries[hole] = entries[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        entries[hole].packets = 0
        count -= 1
    }
}
