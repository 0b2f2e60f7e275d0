/// When an alert is raised, repeated and cleared, and how many lines the agent may write.
public struct AlertPolicy: Sendable, Equatable {
    /// Packets a window must show before a traffic finding is raised (`FindingKind.countsTraffic`).
    public var minimumPackets: UInt64
    /// How often an open alert is repeated, with the counts since its previous line.
    public var reminderNanoseconds: Int64
    /// How long an open alert must go without evidence before it is cleared.
    public var quietNanoseconds: Int64
    /// Lines (raised, ongoing, cleared) per minute; the rest are counted and reported.
    public var linesPerMinute: Int
    /// Alerts open at once; a finding beyond that is counted as suppressed until one clears.
    public var maximumOpenAlerts: Int

    public init(
        minimumPackets: UInt64 = 3, reminderNanoseconds: Int64 = 300_000_000_000, quietNanoseconds: Int64 = 60_000_000_000,
        linesPerMinute: Int = 60, maximumOpenAlerts: Int = 256
    ) {
        self.minimumPackets = minimumPackets
        self.reminderNanoseconds = reminderNanoseconds
        self.quietNanoseconds = quietNanoseconds
        self.linesPerMinute = linesPerMinute
        self.maximumOpenAlerts = maximumOpenAlerts
    }
}
