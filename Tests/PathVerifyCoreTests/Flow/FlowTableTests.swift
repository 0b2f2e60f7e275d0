import Testing

@testable import PathVerifyCore

@Suite struct FlowTableTests {
    static func key(_ index: Int, interface: UInt16 = 0, direction: Direction = .outbound) -> FlowKey {
        var packet = DecodedPacket()
        packet.network = .ipv4
        packet.source = IPAddress(ipv4: 0x0A00_0000 | UInt32(index))
        packet.destination = IPAddress(ipv4: 0x0A63_0016)
        packet.ipProtocol = 17
        packet.sourcePort = UInt16(truncatingIfNeeded: index)
        packet.destinationPort = 9999
        return FlowKey(packet: packet, interface: interface, direction: direction)
    }

    @Test func entryFillsOneCacheLine() {
        #expect(MemoryLayout<FlowTable.Entry>.stride == 64)
        #expect(MemoryLayout<FlowTable.Detail>.stride == 32, "the per-flow cold facts stay half a line")
    }

    /// An entry counts bytes in 32 bits; what it cannot hold is carried, whether a flow's sum
    /// wraps or one packet alone is larger (a pcapng original length may be).
    @Test func bytesPastFourGibibytesAreCarriedAndSurviveAnotherFlowsEviction() {
        var table = FlowTable(capacity: 2)
        let big = 3_000_000_000
        for round in 0..<3 {
            _ = table.record(Self.key(0), bytes: big, at: Timestamp(nanoseconds: Int64(round)), sourceMAC: nil, destinationMAC: nil)
        }
        _ = table.record(Self.key(1), bytes: 5_000_000_000, at: Timestamp(nanoseconds: 3), sourceMAC: nil, destinationMAC: nil)
        var records = Dictionary(uniqueKeysWithValues: table.records.map { ($0.key, $0) })
        #expect(records[Self.key(0)]?.bytes == UInt64(3 * big) && records[Self.key(0)]?.packets == 3)
        #expect(records[Self.key(1)]?.bytes == 5_000_000_000 && records[Self.key(1)]?.packets == 1)
        // Flow 0 is the least recent: a third flow evicts it with its carry, and a fourth, which
        // reuses its detail and carry elements, starts from zero.
        _ = table.record(Self.key(2), bytes: 10, at: Timestamp(nanoseconds: 4), sourceMAC: nil, destinationMAC: nil)
        #expect(table.takeEvicted()?.bytes == UInt64(3 * big))
        _ = table.record(Self.key(3), bytes: big, at: Timestamp(nanoseconds: 5), sourceMAC: nil, destinationMAC: nil)
        #expect(table.takeEvicted()?.bytes == 5_000_000_000)
        _ = table.record(Self.key(3), bytes: big, at: Timestamp(nanoseconds: 6), sourceMAC: nil, destinationMAC: nil)
        records = Dictionary(uniqueKeysWithValues: table.records.map { ($0.key, $0) })
        #expect(records[Self.key(2)]?.bytes == 10)
        #expect(records[Self.key(3)]?.bytes == UInt64(2 * big))
    }

    @Test func countsPacketsAndBytesPerFlow() {
        var table = FlowTable(capacity: 100)
        for round in 0..<3 {
            for index in 0..<10 {
                let update = table.record(
                    Self.key(index), bytes: 100 + index, at: Timestamp(nanoseconds: Int64(round)), sourceMAC: nil,
                    destinationMAC: nil)
                #expect(update.inserted == (round == 0))
                #expect(table.takeEvicted() == nil)
            }
        }
        // The same 5-tuple on another interface, or in the other direction, is another flow.
        _ = table.record(Self.key(0, interface: 1), bytes: 1, at: Timestamp(nanoseconds: 5), sourceMAC: nil, destinationMAC: nil)
        _ = table.record(Self.key(0, direction: .inbound), bytes: 1, at: Timestamp(nanoseconds: 5), sourceMAC: nil, destinationMAC: nil)
        #expect(table.count == 12)
        let first = table.records.first { $0.key == Self.key(3) }
        #expect(first?.packets == 3)
        #expect(first?.bytes == 3 * 103)
        #expect(first?.firstSeen == Timestamp(nanoseconds: 0))
        #expect(first?.lastSeen == Timestamp(nanoseconds: 2))
    }

    @Test func evictsTheLeastRecentlySeenAndReportsIt() {
        var table = FlowTable(capacity: 4)
        for index in 0..<4 {
            _ = table.record(Self.key(index), bytes: 10, at: Timestamp(nanoseconds: Int64(index)), sourceMAC: nil, destinationMAC: nil)
        }
        let update = table.record(Self.key(9), bytes: 10, at: Timestamp(nanoseconds: 100), sourceMAC: nil, destinationMAC: nil)
        #expect(update.inserted)
        #expect(table.takeEvicted()?.key == Self.key(0))
        #expect(table.takeEvicted() == nil, "an evicted flow is handed out once")
        #expect(table.count == 4)
        #expect(table.evictedFlows == 1 && table.evictedPackets == 1 && table.evictedBytes == 10)
        // Every remaining flow is still found (the index survived the deletion).
        for index in [1, 2, 3, 9] {
            let again = table.record(Self.key(index), bytes: 1, at: Timestamp(nanoseconds: 200), sourceMAC: nil, destinationMAC: nil)
            #expect(!again.inserted, "flow \(index) was lost")
        }
    }

    @Test func manyFlowsThroughASmallTableKeepEveryPacketAccountedFor() {
        var table = FlowTable(capacity: 64)
        var evictedPackets: UInt64 = 0
        for step in 0..<20_000 {
            let update = table.record(
                Self.key(step * 7 % 1000), bytes: 1, at: Timestamp(nanoseconds: Int64(step)), sourceMAC: nil, destinationMAC: nil)
            if update.inserted { evictedPackets += table.takeEvicted()?.packets ?? 0 }
        }
        #expect(evictedPackets == table.evictedPackets)
        #expect(evictedPackets + table.records.reduce(0) { $0 + $1.packets } == 20_000)
        #expect(Set(table.records.map(\.key)).count == table.count)
    }
}
