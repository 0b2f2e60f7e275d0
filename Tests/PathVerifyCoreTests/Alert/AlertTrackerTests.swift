import Testing

@testable import PathVerifyCore

@Suite struct AlertTrackerTests {
    static let second: Int64 = 1_000_000_000

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(seconds: 1_795_000_000 + seconds) }

    static func mismatch(
        packets: UInt64 = 10, flows: Int = 1, actual: String = "eth1", kind: FindingKind = .egressMismatch, at seconds: Int64 = 0
    ) -> Finding {
        Finding(
            kind: kind, intent: "storage", direction: "out", expected: InterfaceRef(name: "eth2"),
            actual: InterfaceRef(name: actual), address: nil, macs: nil, packets: packets, bytes: packets * 100,
            flows: flows, packetsPerSecond: nil, bitsPerSecond: nil, firstSeen: at(seconds), lastSeen: at(seconds),
            sampleFlows: [], detail: "\(kind) via \(actual)")
    }

    static let policy = AlertPolicy(
        minimumPackets: 3, reminderNanoseconds: 30 * second, quietNanoseconds: 20 * second, linesPerMinute: 60,
        maximumOpenAlerts: 10)

    @Test func raisedOnceRemindedWithFreshCountsThenClearedAfterQuiet() {
        var tracker = AlertTracker(policy: Self.policy)
        let raised = tracker.observe([Self.mismatch(packets: 10, at: 1)], at: Self.at(10), wallTime: Self.at(10))
        #expect(raised.map(\.event) == ["RAISED"])
        #expect(raised[0]["packets"] == "10")
        #expect(raised[0]["since"] == Self.at(1).description)
        #expect(raised[0].severity == .warning)
        // Within the reminder interval: counted, no line.
        #expect(tracker.observe([Self.mismatch(packets: 5)], at: Self.at(20), wallTime: Self.at(20)).isEmpty)
        #expect(tracker.observe([Self.mismatch(packets: 7)], at: Self.at(30), wallTime: Self.at(30)).isEmpty)
        // The reminder carries what came since the raise line: 5 + 7 + 8.
        let reminder = tracker.observe([Self.mismatch(packets: 8)], at: Self.at(40), wallTime: Self.at(40))
        #expect(reminder.map(\.event) == ["ONGOING"])
        #expect(reminder[0]["packets"] == "20")
        #expect(reminder[0]["rate"] == "0.7pps")
        // Every line of an alert gives the start of its evidence.
        #expect(reminder[0]["since"] == Self.at(1).description)
        // Quiet for less than 20 s: still open.
        #expect(tracker.observe([], at: Self.at(55), wallTime: Self.at(55)).isEmpty)
        #expect(tracker.openAlerts.count == 1)
        let clear = tracker.observe([], at: Self.at(60), wallTime: Self.at(60))
        #expect(clear.map(\.event) == ["CLEARED"])
        #expect(clear[0].severity == .notice)
        #expect(clear[0]["packets"] == "30")
        #expect(clear[0]["quiet"] == "20s")
        #expect(clear[0]["since"] == Self.at(1).description)
        #expect(tracker.openAlerts.isEmpty)
        #expect((tracker.raised, tracker.cleared) == (1, 1))
    }

    @Test func evidenceBelowTheThresholdRaisesNothingButKeepsAnOpenAlertAlive() {
        var tracker = AlertTracker(policy: Self.policy)
        #expect(tracker.observe([Self.mismatch(packets: 2)], at: Self.at(10), wallTime: Self.at(10)).isEmpty)
        #expect(tracker.observe([Self.mismatch(packets: 3)], at: Self.at(20), wallTime: Self.at(20)).map(\.event) == ["RAISED"])
        #expect(tracker.observe([Self.mismatch(packets: 1)], at: Self.at(35), wallTime: Self.at(35)).isEmpty)
        // 20 s after the last (small) evidence, not after the raise.
        #expect(tracker.observe([], at: Self.at(50), wallTime: Self.at(50)).isEmpty)
        #expect(tracker.observe([], at: Self.at(55), wallTime: Self.at(55)).map(\.event) == ["CLEARED"])
    }

    @Test func aStormOfFlowsOnOnePathIsOneAlertWithCounts() {
        var tracker = AlertTracker(policy: Self.policy)
        let storm = (0..<5000).map { _ in Self.mismatch(packets: 1, flows: 1) }
        let lines = tracker.observe(storm, at: Self.at(10), wallTime: Self.at(10))
        #expect(lines.count == 1)
        #expect(lines[0]["flows"] == "5000")
        #expect(lines[0]["packets"] == "5000")
    }

    @Test func theLineBudgetIsKeptAndWhatItHeldBackIsReported() {
        let policy = AlertPolicy(
            minimumPackets: 1, reminderNanoseconds: 300 * Self.second, quietNanoseconds: 600 * Self.second,
            linesPerMinute: 5, maximumOpenAlerts: 100)
        var tracker = AlertTracker(policy: policy)
        let paths = (0..<8).map { Self.mismatch(actual: "eth\($0 + 10)") }
        let first = tracker.observe(paths, at: Self.at(0), wallTime: Self.at(0))
        #expect(first.count == 5)
        #expect(tracker.suppressedLines == 3)
        // Same minute: the held-back paths stay held back, each still one line.
        #expect(tracker.observe(paths, at: Self.at(30), wallTime: Self.at(30)).isEmpty)
        #expect(tracker.suppressedLines == 3)
        // Next minute: the report of what was held back comes first (it counts against the
        // budget too), then the remaining raises.
        let next = tracker.observe(paths, at: Self.at(60), wallTime: Self.at(60))
        #expect(next.first?.event == "SUPPRESSED")
        #expect(next.first?["lines"] == "3")
        #expect(next.dropFirst().map(\.event) == ["RAISED", "RAISED", "RAISED"])
        #expect(tracker.openAlerts.count == 8)
    }

    @Test func alertsBeyondTheOpenLimitAreCountedNotRaised() {
        let policy = AlertPolicy(
            minimumPackets: 1, reminderNanoseconds: 300 * Self.second, quietNanoseconds: 10 * Self.second,
            linesPerMinute: 100, maximumOpenAlerts: 2)
        var tracker = AlertTracker(policy: policy)
        let lines = tracker.observe((0..<4).map { Self.mismatch(actual: "eth\($0 + 10)") }, at: Self.at(0), wallTime: Self.at(0))
        #expect(lines.map(\.event) == ["RAISED", "RAISED"])
        #expect(tracker.suppressedLines == 2)
    }

    @Test func interfaceDownNeedsNoPacketsAndIsAnError() {
        var tracker = AlertTracker(policy: Self.policy)
        let down = Finding(
            kind: .interfaceDown, intent: nil, direction: nil, expected: nil, actual: InterfaceRef(name: "eth2"),
            address: nil, macs: nil, packets: 0, bytes: 0, flows: 0, packetsPerSecond: nil, bitsPerSecond: nil,
            firstSeen: Timestamp(nanoseconds: 0), lastSeen: Timestamp(nanoseconds: 0), sampleFlows: [], detail: "gone")
        let lines = tracker.observe([down], at: Self.at(5), wallTime: Self.at(5))
        #expect(lines.map(\.event) == ["RAISED"])
        #expect(lines[0].severity == .error)
        #expect(lines[0]["since"] == Self.at(5).description)
        #expect(lines[0].description.hasPrefix("RAISED kind=interface-down actual=eth2 reason=gone since="))
    }

    @Test func anAlertOnAnInterfaceThatIsNotSeenDoesNotClear() {
        var tracker = AlertTracker(policy: Self.policy)
        #expect(tracker.observe([Self.mismatch()], at: Self.at(10), wallTime: Self.at(10)).map(\.event) == ["RAISED"])
        // eth1, where the mismatching traffic leaves, went down: its traffic may still flow unseen.
        #expect(tracker.observe([], at: Self.at(40), wallTime: Self.at(40), unseen: ["eth1"]).isEmpty)
        #expect(tracker.observe([], at: Self.at(50), wallTime: Self.at(50)).map(\.event) == ["CLEARED"])
    }
}
