/// One interface's line in the counter view: who it is, its state and its latest interval.
public struct CounterRow: Equatable, Sendable {
    /// The kernel name.
    public var name: String
    public var alias: String?
    public var role: String?
    /// The state at the latest sample; `nil` when the interface is gone.
    public var state: OperationalState?
    public var speedMegabitsPerSecond: Int?
    public var interval: CounterInterval
    /// The live verdict for this interface, set by whoever has one (the capture). It is shown
    /// only once the interface has two samples, like the rates.
    public var verdict: String?
    /// For an interface riding on a team: the uplink(s) its flows used, with the predicted one
    /// when it differs (esxtop's TEAM-PNIC); set with the verdict, shown like it.
    public var teamUplink: String?

    public init(
        name: String, alias: String? = nil, role: String? = nil, state: OperationalState?,
        speedMegabitsPerSecond: Int? = nil, interval: CounterInterval, verdict: String? = nil, teamUplink: String? = nil
    ) {
        self.name = name
        self.alias = alias
        self.role = role
        self.state = state
        self.speedMegabitsPerSecond = speedMegabitsPerSecond
        self.interval = interval
        self.verdict = verdict
        self.teamUplink = teamUplink
    }

    /// The verdict to show, or `nil` (shown as `-` or an empty cell) before two samples exist.
    public var shownVerdict: String? {
        switch interval {
        case .first, .gone: nil
        case .rates, .reset, .noElapsedTime: verdict
        }
    }

    /// The team uplink to show, under the same rule as the verdict.
    public var shownTeamUplink: String? { shownVerdict == nil ? nil : teamUplink }

    /// The kernel's state word, or `gone`.
    public var stateText: String { state?.rawValue ?? "gone" }
}
