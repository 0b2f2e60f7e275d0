/// Turns each window's findings into alert lines: raised once, repeated at most once per
/// reminder interval with the counts since the previous line, cleared after a quiet period.
///
/// The tracker owns the agent's own limits: at most `linesPerMinute` lines a minute and
/// `maximumOpenAlerts` open alerts. What they hold back is counted and reported in a
/// `SUPPRESSED` line as soon as lines may flow again, never dropped silently. Pure: the caller
/// passes the time.
public struct AlertTracker: Sendable {
    public let policy: AlertPolicy
    private var open: [AlertKey: OpenAlert] = [:]
    /// Totals since the start, for the status and the stop line.
    public private(set) var raised = 0
    public private(set) var cleared = 0
    public private(set) var suppressedLines: UInt64 = 0
    /// The lines held back since the last `SUPPRESSED` report: a raise retried every window
    /// is one line held back, not one per window.
    private var heldBack: Set<HeldLine> = []
    private struct HeldLine: Hashable, Sendable {
        var key: AlertKey
        var event: String
    }
    private var minuteStart: Timestamp?
    private var linesThisMinute = 0

    private struct OpenAlert: Sendable {
        var finding: Finding
        /// When its evidence began: the `since` of every line of this alert.
        var since: Timestamp
        var lastEvidence: Timestamp
        var lastLine: Timestamp
        var packetsSinceLine: UInt64 = 0
        var bytesSinceLine: UInt64 = 0
        var totalPackets: UInt64
        var totalBytes: UInt64
    }

    public init(policy: AlertPolicy) {
        self.policy = policy
    }

    /// The alerts open now, the oldest first.
    public var openAlerts: [AlertKey] {
        open.sorted { ($0.value.since, $0.value.finding.detail) < ($1.value.since, $1.value.finding.detail) }
            .map(\.key)
    }

    /// The lines that one window's findings call for.
    ///
    /// - Parameters:
    ///   - findings: what the window's verification found (and the shell's own findings, such
    ///     as `interface-down`); findings with one `AlertKey` are added up.
    ///   - now: the end of the window on a clock that never jumps (the intervals are measured on it).
    ///   - wallTime: the end of the window on the wall clock, for the `since` of findings without packets.
    ///   - unseen: interfaces whose traffic is not seen now (down, gone, capture failed): an
    ///     alert on them does not clear, since its traffic may still be flowing.
    public mutating func observe(
        _ findings: [Finding], at now: Timestamp, wallTime: Timestamp, unseen: Set<String> = []
    ) -> [AlertLine] {
        var lines: [AlertLine] = []
        if minuteStart.map({ now.nanoseconds - $0.nanoseconds >= 60_000_000_000 }) ?? true {
            minuteStart = now
            linesThisMinute = 0
        }
        if !heldBack.isEmpty && linesThisMinute < policy.linesPerMinute {
            linesThisMinute += 1
            lines.append(
                AlertLine(
                    "SUPPRESSED", severity: .warning,
                    [.init("lines", String(heldBack.count)), .init("total", String(suppressedLines)),
                     .init("limit", "\(policy.linesPerMinute)/min")]))
            heldBack = []
        }
        var evidence: [AlertKey: Finding] = [:]
        var keys: [AlertKey] = []  // in the findings' order, which is stable
        for finding in findings {
            let key = AlertKey(finding)
            if let previous = evidence[key] {
                evidence[key] = Self.merged(previous, finding)
            } else {
                evidence[key] = finding
                keys.append(key)
            }
        }
        for key in openAlerts where evidence[key] == nil {
            guard let alert = open[key], now.nanoseconds - alert.lastEvidence.nanoseconds >= policy.quietNanoseconds,
                key.kind == .interfaceDown || ![key.actual, key.expected].contains(where: { $0.map(unseen.contains) ?? false })
            else { continue }
            guard take(key, "CLEARED") else { continue }  // cleared when lines may flow again
            open[key] = nil
            cleared += 1
            lines.append(clearedLine(alert, at: now))
        }
        for key in keys {
            let finding = evidence[key]!  // every key came from a finding
            if var alert = open[key] {
                alert.finding = finding
                alert.lastEvidence = now
                alert.packetsSinceLine += finding.packets
                alert.bytesSinceLine += finding.bytes
                alert.totalPackets += finding.packets
                alert.totalBytes += finding.bytes
                if now.nanoseconds - alert.lastLine.nanoseconds >= policy.reminderNanoseconds, take(key, "ONGOING") {
                    lines.append(ongoingLine(alert, at: now))
                    alert.lastLine = now
                    alert.packetsSinceLine = 0
                    alert.bytesSinceLine = 0
                }
                open[key] = alert
            } else if finding.packets >= policy.minimumPackets || !finding.kind.countsTraffic {
                guard open.count < policy.maximumOpenAlerts, take(key, "RAISED") else {
                    if open.count >= policy.maximumOpenAlerts { suppress(key, "RAISED") }
                    continue
                }
                let alert = OpenAlert(
                    finding: finding, since: Self.since(finding, wallTime), lastEvidence: now, lastLine: now,
                    totalPackets: finding.packets, totalBytes: finding.bytes)
                open[key] = alert
                raised += 1
                lines.append(
                    AlertLine(
                        "RAISED", severity: Self.severity(of: finding.kind),
                        AlertLine.evidence(of: finding) + [.init("since", alert.since.description)]))
            }
        }
        return lines
    }

    /// One line of the line budget, or a line held back when the minute's budget is spent.
    private mutating func take(_ key: AlertKey, _ event: String) -> Bool {
        guard linesThisMinute < policy.linesPerMinute else {
            suppress(key, event)
            return false
        }
        linesThisMinute += 1
        return true
    }

    /// Counts a held-back line once, however many windows retry it.
    private mutating func suppress(_ key: AlertKey, _ event: String) {
        if heldBack.insert(HeldLine(key: key, event: event)).inserted { suppressedLines += 1 }
    }

    private func ongoingLine(_ alert: OpenAlert, at now: Timestamp) -> AlertLine {
        let finding = alert.finding
        let seconds = now.seconds(since: alert.lastLine)
        var fields = AlertLine.evidence(
            of: finding, packets: alert.packetsSinceLine, bytes: alert.bytesSinceLine,
            rate: .some(seconds > 0 ? Double(alert.packetsSinceLine) / seconds : nil))
        fields.append(.init("since", alert.since.description))
        return AlertLine("ONGOING", severity: Self.severity(of: finding.kind), fields)
    }

    private func clearedLine(_ alert: OpenAlert, at now: Timestamp) -> AlertLine {
        let finding = alert.finding
        var fields = [AlertLine.Field("kind", finding.kind.rawValue)] + AlertLine.identity(of: finding)
        if finding.kind != .interfaceDown { fields.append(.init("packets", String(alert.totalPackets))) }
        if alert.totalBytes > 0 { fields.append(.init("bytes", String(alert.totalBytes))) }
        fields += [
            .init("since", alert.since.description),
            // Whole seconds: windows end a little after the second, and 60.003s says nothing more.
            .init("quiet", DurationText.text((now.nanoseconds - alert.lastEvidence.nanoseconds) / 1_000_000_000 * 1_000_000_000)),
        ]
        return AlertLine("CLEARED", severity: .notice, fields)
    }

    /// When the evidence began: its first packet, or the window's end for findings without packets.
    private static func since(_ finding: Finding, _ now: Timestamp) -> Timestamp {
        finding.packets > 0 && finding.firstSeen.nanoseconds > 0 ? finding.firstSeen : now
    }

    /// A path that is wrong is a warning; a capture that fails or loses packets is an error.
    static func severity(of kind: FindingKind) -> AlertSeverity {
        kind == .interfaceDown || kind == .captureLoss ? .error : .warning
    }

    private static func merged(_ a: Finding, _ b: Finding) -> Finding {
        var result = a.packets >= b.packets ? a : b
        result.packets = a.packets + b.packets
        result.bytes = a.bytes + b.bytes
        result.flows = a.flows + b.flows
        result.firstSeen = min(a.firstSeen, b.firstSeen)
        result.lastSeen = max(a.lastSeen, b.lastSeen)
        result.packetsPerSecond = a.packetsPerSecond.map { $0 + (b.packetsPerSecond ?? 0) } ?? b.packetsPerSecond
        return result
    }
}
